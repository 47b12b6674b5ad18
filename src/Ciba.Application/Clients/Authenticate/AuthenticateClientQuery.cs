using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
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
    private const int MaxClientIdLength = 100;

    private static readonly Error InvalidClient = new(OAuthErrorCodes.InvalidClient, "Client authentication failed.");

    public async Task<Result<AuthenticatedClient>> Handle(AuthenticateClientQuery request, CancellationToken cancellationToken)
    {
        var (method, clientId, secret) = request.Credentials;
        if (method == ClientAuthenticationMethod.None || string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret)
            || clientId.Length > MaxClientIdLength)
        {
            return InvalidClient;
        }

        var application = await db.Applications.AsNoTracking()
            .SingleOrDefaultAsync(a => a.OrganizationId == request.OrganizationId && a.ClientId == clientId, cancellationToken);
        if (application is null || !SecretHashing.VerifyClientSecret(secret, application.ClientSecretHash))
        {
            return InvalidClient;
        }

        return new AuthenticatedClient(
            application.Id, application.OrganizationId, application.ClientId, application.Name, application.AllowsCiba, application.CibaSettings);
    }
}
