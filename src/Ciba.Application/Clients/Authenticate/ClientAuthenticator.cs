using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;

namespace Ciba.Application.Clients.Authenticate;

internal sealed class ClientAuthenticator(IClientApplications applications, IEnumerable<IClientAuthenticationMethod> methods) : IClientAuthenticator
{
    public static readonly Error InvalidClient = new(OAuthErrorCodes.InvalidClient, "Client authentication failed.");

    private readonly IClientAuthenticationMethod[] _methods = methods.ToArray();

    public bool CanLookUp(ClientCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return ClientIdSyntax.IsValid(credentials.ClientId) && MethodOf(credentials) is { } method && method.IsComplete(credentials);
    }

    public async Task<Result<AuthenticatedClient>> AuthenticateAsync(OrganizationSummary organization, ClientCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organization);
        if (!CanLookUp(credentials))
        {
            return InvalidClient;
        }

        var clientId = credentials.ClientId;
        var application = await applications.FindAsync(organization.Id, clientId!, cancellationToken);
        return await AuthenticateAsync(organization, credentials, application, cancellationToken);
    }

    public async ValueTask<Result<AuthenticatedClient>> AuthenticateAsync(
        OrganizationSummary organization, ClientCredentials credentials, ClientApplication? application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(credentials);
        var method = MethodOf(credentials);
        if (application is null || method is null || !method.IsComplete(credentials) || !IsRegistered(application, credentials.Method)
            || !await method.VerifyAsync(organization, credentials, application, cancellationToken))
        {
            return InvalidClient;
        }

        return AuthenticatedClient.Of(application);
    }

    /// <summary>product.md §10: the client uses the one method it is registered for (or, registered before methods were, either secret method).</summary>
    private static bool IsRegistered(ClientApplication application, ClientAuthenticationMethod presented) => application.TokenEndpointAuthMethod switch
    {
        TokenEndpointAuthMethod.ClientSecretBasicOrPost => presented is ClientAuthenticationMethod.ClientSecretBasic or ClientAuthenticationMethod.ClientSecretPost,
        TokenEndpointAuthMethod.ClientSecretBasic => presented == ClientAuthenticationMethod.ClientSecretBasic,
        TokenEndpointAuthMethod.ClientSecretPost => presented == ClientAuthenticationMethod.ClientSecretPost,
        TokenEndpointAuthMethod.PrivateKeyJwt => presented == ClientAuthenticationMethod.PrivateKeyJwt,
        _ => false,
    };

    private IClientAuthenticationMethod? MethodOf(ClientCredentials credentials) =>
        Array.Find(_methods, m => m.Method == credentials.Method);
}
