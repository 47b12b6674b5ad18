namespace Ciba.Application.Accounts;

/// <summary>Claims Ciba adds to a signed-in person's cookie.</summary>
public static class CibaClaimTypes
{
    /// <summary>The id of the organization the person signed in to.</summary>
    public const string OrganizationId = "ciba:org";

    /// <summary>When the person authenticated (Unix seconds); becomes the ID token's <c>auth_time</c>.</summary>
    public const string AuthenticatedAt = "ciba:auth_time";

    /// <summary>
    /// How the person authenticated in this session, one claim per method (RFC 8176 values:
    /// <c>pwd</c>, <c>otp</c>, <c>hwk</c>, <c>swk</c>); becomes the ID token's <c>amr</c>.
    /// </summary>
    public const string AuthenticationMethod = "amr";
}
