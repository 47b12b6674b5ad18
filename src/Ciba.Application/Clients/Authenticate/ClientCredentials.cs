namespace Ciba.Application.Clients.Authenticate;

/// <summary>How a client presented its credentials (OpenID Connect Core §9).</summary>
public enum ClientAuthenticationMethod
{
    None = 0,
    ClientSecretBasic = 1,
    ClientSecretPost = 2,
    PrivateKeyJwt = 3,
}

/// <summary>The credentials a client presented, as read from the HTTP request.</summary>
/// <param name="ClientAssertion">The <c>client_assertion</c> JWT of <c>private_key_jwt</c>.</param>
public sealed record ClientCredentials(ClientAuthenticationMethod Method, string? ClientId, string? ClientSecret, string? ClientAssertion = null);
