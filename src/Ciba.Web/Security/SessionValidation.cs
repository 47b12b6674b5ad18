using System.Globalization;
using Ciba.Application.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Ciba.Web.Security;

/// <summary>
/// Ends a session when it should (issue 9 item 1, ADR 0012): past its absolute lifetime, or when
/// the account is gone, locked, or its security stamp changed (lock, role change, password reset).
/// The console checks the account on every request; other pages at most every
/// <see cref="SignInSessionOptions.RecheckInterval"/>, remembering the last check in the cookie.
/// </summary>
public static class SessionValidation
{
    private const string CheckedAtKey = ".ciba.checked";

    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<SignInSessionOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var principal = context.Principal;
        if (principal is null
            || !long.TryParse(principal.FindFirst(CibaClaimTypes.AuthenticatedAt)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var authenticatedAt)
            || now - DateTimeOffset.FromUnixTimeSeconds(authenticatedAt) >= options.AbsoluteLifetime)
        {
            await RejectAsync(context);
            return;
        }

        var everyRequest = IsConsole(context.Request.Path);
        if (!everyRequest && LastCheck(context.Properties) is { } checkedAt && now - checkedAt < options.RecheckInterval)
        {
            return;
        }

        var signIn = services.GetRequiredService<IAccountSignIn>();
        if (!await signIn.IsSessionCurrentAsync(principal, context.HttpContext.RequestAborted))
        {
            await RejectAsync(context);
            return;
        }

        if (!everyRequest)
        {
            context.Properties.SetString(CheckedAtKey, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            context.ShouldRenew = true;
        }
    }

    private static DateTimeOffset? LastCheck(AuthenticationProperties properties) =>
        long.TryParse(properties.GetString(CheckedAtKey), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : properties.IssuedUtc;

    /// <summary><c>/t/{org}/console</c> and everything under it.</summary>
    internal static bool IsConsole(PathString path)
    {
        var value = path.Value ?? string.Empty;
        if (!value.StartsWith("/t/", StringComparison.Ordinal))
        {
            return false;
        }

        var end = value.IndexOf('/', 3);
        return end > 0
            && value.AsSpan(end).StartsWith("/console", StringComparison.OrdinalIgnoreCase)
            && (value.Length == end + 8 || value[end + 8] == '/');
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name);
    }
}
