namespace Ciba.Domain.Applications;

/// <summary>
/// The one client authentication method an application is registered for (product.md §10; OpenID
/// Connect Core §9, RFC 7523). <see cref="ClientSecretBasicOrPost"/> is what applications created
/// before the method was registered did (either secret method); an administrator narrows it to one
/// (docs/decisions/0022-client-authentication-and-signed-requests.md).
/// </summary>
public enum TokenEndpointAuthMethod
{
    ClientSecretBasicOrPost = 0,
    ClientSecretBasic = 1,
    ClientSecretPost = 2,
    PrivateKeyJwt = 3,
}

/// <summary>The registered names of <see cref="TokenEndpointAuthMethod"/> (OpenID Connect Dynamic Client Registration §2).</summary>
public static class TokenEndpointAuthMethods
{
    public const string ClientSecretBasic = "client_secret_basic";
    public const string ClientSecretPost = "client_secret_post";
    public const string PrivateKeyJwt = "private_key_jwt";

    /// <summary>Not a registered name: the stored value of <see cref="TokenEndpointAuthMethod.ClientSecretBasicOrPost"/>.</summary>
    public const string ClientSecretBasicOrPost = "client_secret_basic_or_post";

    /// <summary>The methods a client may register, as discovery lists them.</summary>
    public static IReadOnlyList<string> Supported { get; } = [ClientSecretBasic, ClientSecretPost, PrivateKeyJwt];

    public static string NameOf(TokenEndpointAuthMethod method) => method switch
    {
        TokenEndpointAuthMethod.ClientSecretBasic => ClientSecretBasic,
        TokenEndpointAuthMethod.ClientSecretPost => ClientSecretPost,
        TokenEndpointAuthMethod.PrivateKeyJwt => PrivateKeyJwt,
        _ => ClientSecretBasicOrPost,
    };

    public static TokenEndpointAuthMethod? Parse(string? name) => name switch
    {
        ClientSecretBasic => TokenEndpointAuthMethod.ClientSecretBasic,
        ClientSecretPost => TokenEndpointAuthMethod.ClientSecretPost,
        PrivateKeyJwt => TokenEndpointAuthMethod.PrivateKeyJwt,
        ClientSecretBasicOrPost => TokenEndpointAuthMethod.ClientSecretBasicOrPost,
        _ => null,
    };

    public static bool UsesSecret(this TokenEndpointAuthMethod method) => method != TokenEndpointAuthMethod.PrivateKeyJwt;
}
