namespace Ciba.Application.Accounts;

/// <summary>Claims Ciba adds to a signed-in person's cookie.</summary>
public static class CibaClaimTypes
{
    /// <summary>The id of the organization the person signed in to.</summary>
    public const string OrganizationId = "ciba:org";

    /// <summary>When the person authenticated (Unix seconds); becomes the ID token's <c>auth_time</c>.</summary>
    public const string AuthenticatedAt = "ciba:auth_time";

    /// <summary>
    /// A method the person used to sign in (RFC 8176 <c>amr</c>: <c>pwd</c>, <c>otp</c>, <c>hwk</c>, <c>swk</c>),
    /// one claim per method; the values are <see cref="Domain.Authentication.AuthenticationMethods"/>.
    /// </summary>
    public const string AuthenticationMethod = "amr";
}
