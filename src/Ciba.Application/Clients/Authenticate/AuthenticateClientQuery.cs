using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Clients.Authenticate;

/// <summary>
/// Authenticates a client of an organization with <c>client_secret_basic</c> or
/// <c>client_secret_post</c> (CIBA Core §7.1; OpenID Connect Core §9). One query by client id.
/// </summary>
public sealed record AuthenticateClientQuery(Guid OrganizationId, ClientCredentials Credentials) : IRequest<Result<AuthenticatedClient>>;

internal sealed class AuthenticateClientHandler(IApplicationDbContext db) : IRequestHandler<AuthenticateClientQuery, Result<AuthenticatedClient>>
{
    public async Task<Result<AuthenticatedClient>> Handle(AuthenticateClientQuery request, CancellationToken cancellationToken)
    {
        if (!ClientSecretVerification.IsComplete(request.Credentials))
        {
            return ClientSecretVerification.InvalidClient;
        }

        var clientId = request.Credentials.ClientId;
        var application = await db.Applications.AsNoTracking()
            .SingleOrDefaultAsync(a => a.OrganizationId == request.OrganizationId && a.ClientId == clientId, cancellationToken);
        return ClientSecretVerification.Verify(request.Credentials, application);
    }
}

/// <summary>The checks of a client's credentials, shared by the queries that look the client up.</summary>
internal static class ClientSecretVerification
{
    public static readonly Error InvalidClient = new(OAuthErrorCodes.InvalidClient, "Client authentication failed.");

    /// <summary>
    /// Whether the credentials are worth looking up: a method, a client id of valid syntax and a
    /// secret. Checked before any query, so a NUL or other odd byte never reaches PostgreSQL.
    /// </summary>
    public static bool IsComplete(ClientCredentials credentials) =>
        credentials.Method != ClientAuthenticationMethod.None
        && ClientIdSyntax.IsValid(credentials.ClientId)
        && !string.IsNullOrEmpty(credentials.ClientSecret)
        && !ControlCharacters.Contains(credentials.ClientSecret);

    public static Result<AuthenticatedClient> Verify(ClientCredentials credentials, ClientApplication? application)
    {
        if (application is null || !SecretHashing.VerifyClientSecret(credentials.ClientSecret!, application.ClientSecretHash))
        {
            return InvalidClient;
        }

        return new AuthenticatedClient(
            application.Id, application.OrganizationId, application.ClientId, application.Name, application.AllowsCiba, application.CibaSettings)
        {
            IdTokenSigningAlgorithm = application.IdTokenSigningAlgorithm,
        };
    }
}
