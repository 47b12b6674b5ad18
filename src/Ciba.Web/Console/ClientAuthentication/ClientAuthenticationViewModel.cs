using Ciba.Application.Console.Applications;
using Ciba.Application.Console.Applications.UpdateClientAuthentication;
using Ciba.Domain.Applications;

namespace Ciba.Web.Console.ClientAuthentication;

/// <summary>The client authentication block of the Protocol tab.</summary>
public sealed class ClientAuthenticationViewModel
{
    public static IReadOnlyList<(string Value, string Label, string Hint)> MethodChoices { get; } =
    [
        (TokenEndpointAuthMethods.ClientSecretBasic, "client_secret_basic", "the client secret in the HTTP Authorization header (Basic)"),
        (TokenEndpointAuthMethods.ClientSecretPost, "client_secret_post", "the client secret in the request body"),
        (TokenEndpointAuthMethods.PrivateKeyJwt, "private_key_jwt", "a JWT signed with one of the client's keys (FAPI); needs its public keys below"),
    ];

    public ApplicationDetails? Application { get; set; }

    public Guid ApplicationId { get; set; }

    public string? TokenEndpointAuthMethod { get; set; }

    public string? Jwks { get; set; }

    public string? JwksUri { get; set; }

    public bool RequireSignedRequests { get; set; }

    public static ClientAuthenticationViewModel From(ClientAuthenticationDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new()
        {
            ApplicationId = details.ApplicationId,
            TokenEndpointAuthMethod = details.TokenEndpointAuthMethod,
            Jwks = details.Jwks,
            JwksUri = details.JwksUri,
            RequireSignedRequests = details.RequireSignedRequests,
        };
    }
}
