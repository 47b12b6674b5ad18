using System.Globalization;
using System.Security.Claims;
using Ciba.Application.Accounts;

namespace Ciba.Web.Accounts;

/// <summary>Who is signed in to the current organization, read from the cookie's claims.</summary>
public sealed record SignedInUser(Guid UserId, string UserName, Guid OrganizationId, DateTimeOffset AuthenticatedAt, bool IsAdministrator)
{
    public const string AdministratorRole = "Administrator";

    /// <summary>The session's <c>amr</c> values (ADR 0029); a session from before they were recorded was a password sign-in.</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [Domain.Authentication.AuthenticationMethods.Password];

    /// <summary>The signed-in person if they belong to <paramref name="organizationId"/>, else null.</summary>
    public static SignedInUser? From(ClaimsPrincipal principal, Guid organizationId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(CibaClaimTypes.OrganizationId), out var userOrganization)
            || userOrganization != organizationId
            || !long.TryParse(principal.FindFirstValue(CibaClaimTypes.AuthenticatedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var authenticatedAt))
        {
            return null;
        }

        return new SignedInUser(
            userId,
            principal.FindFirstValue(ClaimTypes.Name) ?? string.Empty,
            organizationId,
            DateTimeOffset.FromUnixTimeSeconds(authenticatedAt),
            principal.IsInRole(AdministratorRole))
        {
            AuthenticationMethods = principal.FindAll(CibaClaimTypes.AuthenticationMethod).Select(c => c.Value).ToList() is { Count: > 0 } methods
                ? Domain.Authentication.AuthenticationMethods.Normalize(methods)
                : [Domain.Authentication.AuthenticationMethods.Password],
        };
    }
}
