using System.Text;
using Ciba.Application.Accounts.SecondFactor;
using Ciba.Application.Common.Interfaces;
using Ciba.Web.Organizations;
using Ciba.Web.Security;
using Microsoft.AspNetCore.Mvc;
using QRCoder;

namespace Ciba.Web.Accounts;

/// <summary>
/// The person's authenticator app (product.md §16, ADR 0029): enrol with a QR code or the typed key,
/// confirm with a code, see the recovery codes once; remove. Phone-first, no JavaScript.
/// </summary>
[Route("t/{org}/account/authenticator")]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
[FormBodyLimit]
public sealed class AuthenticatorController(IAuthenticatorApp authenticator) : Controller
{
    public static string PagePath(string organizationHandle) => $"/t/{organizationHandle}/account/authenticator";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var user = SignedInUser.From(User, organization.Id);
        if (user is null)
        {
            return RedirectToSignIn(organization.Handle);
        }

        var state = await authenticator.GetStateAsync(organization.Id, user.UserId, cancellationToken);
        if (state is null)
        {
            return RedirectToSignIn(organization.Handle);
        }

        return View("Index", Model(organization, state, TempData["Flash"] as string));
    }

    [HttpPost("")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Protection.RateLimits.PerAddress)]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Confirm([FromForm] string? code, CancellationToken cancellationToken)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var user = SignedInUser.From(User, organization.Id);
        if (user is null)
        {
            return RedirectToSignIn(organization.Handle);
        }

        var typed = new string((code ?? string.Empty).Where(c => !char.IsWhiteSpace(c)).ToArray());
        IReadOnlyList<string>? recoveryCodes = null;
        if (typed.Length == 0)
        {
            ModelState.AddModelError(nameof(AuthenticatorViewModel.Code), "Enter the code from your authenticator app.");
        }
        else if (typed.Length > 8 || !typed.All(char.IsAsciiDigit))
        {
            ModelState.AddModelError(nameof(AuthenticatorViewModel.Code), "Enter the 6 digits your app shows.");
        }
        else
        {
            recoveryCodes = await authenticator.ConfirmAsync(organization.Id, user.UserId, typed, cancellationToken);
            if (recoveryCodes is null)
            {
                ModelState.AddModelError(nameof(AuthenticatorViewModel.Code), "The code is not right. Check that your app shows this account, then enter the code it shows now.");
            }
        }

        if (recoveryCodes is not null)
        {
            // Shown once: not kept anywhere readable, and the page is not cached.
            return View("RecoveryCodes", new RecoveryCodesViewModel(organization.Name, user.UserName, recoveryCodes, PagePath(organization.Handle)));
        }

        var state = await authenticator.GetStateAsync(organization.Id, user.UserId, cancellationToken);
        if (state is null)
        {
            return RedirectToSignIn(organization.Handle);
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Index", Model(organization, state, null));
    }

    [HttpPost("remove")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Remove(CancellationToken cancellationToken)
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext)!;
        var user = SignedInUser.From(User, organization.Id);
        if (user is null)
        {
            return RedirectToSignIn(organization.Handle);
        }

        await authenticator.RemoveAsync(organization.Id, user.UserId, cancellationToken);
        TempData["Flash"] = "The authenticator app was removed. Signing in now needs only your password.";
        return Redirect(PagePath(organization.Handle));
    }

    private static AuthenticatorViewModel Model(OrganizationSummary organization, AuthenticatorAppState state, string? flash)
    {
        string? qr = null;
        if (state.Key is { } key)
        {
            var uri = OtpAuthUri(organization.Name, state.UserName, key);
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
            qr = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
        }

        return new AuthenticatorViewModel
        {
            OrganizationName = organization.Name,
            UserName = state.UserName,
            Enabled = state.Enabled,
            RecoveryCodesLeft = state.RecoveryCodesLeft,
            TypedKey = state.Key is null ? null : Grouped(state.Key),
            QrCodeImage = qr,
            Flash = flash,
        };
    }

    /// <summary>The Key URI format authenticator apps read (issuer, account, Base32 secret; SHA-1, 6 digits, 30 s).</summary>
    internal static string OtpAuthUri(string issuer, string account, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6";

    /// <summary>The key in groups of four, lower case, for typing.</summary>
    private static string Grouped(string key)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            builder.Append(builder.Length == 0 ? string.Empty : " ").Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return builder.ToString().ToLowerInvariant();
    }

    private RedirectResult RedirectToSignIn(string handle) =>
        Redirect($"/t/{handle}/login?returnUrl={Uri.EscapeDataString(PagePath(handle))}");
}

public sealed class AuthenticatorViewModel
{
    public string OrganizationName { get; init; } = string.Empty;

    public string UserName { get; init; } = string.Empty;

    public bool Enabled { get; init; }

    public int RecoveryCodesLeft { get; init; }

    /// <summary>The key to type, while enrolling.</summary>
    public string? TypedKey { get; init; }

    /// <summary>The QR code of the key URI as a PNG data URI (the Content-Security-Policy allows data: images, not inline styles).</summary>
    public string? QrCodeImage { get; init; }

    public string? Code { get; init; }

    public string? Flash { get; init; }
}

public sealed record RecoveryCodesViewModel(string OrganizationName, string UserName, IReadOnlyList<string> Codes, string BackUrl);
