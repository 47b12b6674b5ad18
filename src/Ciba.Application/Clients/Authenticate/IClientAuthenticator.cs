using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;

namespace Ciba.Application.Clients.Authenticate;

/// <summary>
/// Client authentication at every endpoint that authenticates clients (product.md §10): the
/// credentials the client presented are checked by the one implementation of their method, and only
/// if that is a method the application may use. Every failure is <c>invalid_client</c>.
/// </summary>
public interface IClientAuthenticator
{
    /// <summary>
    /// Whether the credentials are worth looking up: a method, a client id of valid syntax and the
    /// method's proof. Checked before any query, so a NUL or other odd byte never reaches PostgreSQL.
    /// </summary>
    bool CanLookUp(ClientCredentials credentials);

    /// <summary>Looks the application up by client id (one query) and authenticates it.</summary>
    Task<Result<AuthenticatedClient>> AuthenticateAsync(OrganizationSummary organization, ClientCredentials credentials, CancellationToken cancellationToken);

    /// <summary>Authenticates an application the caller has already read (a hot path's own lookup; null when there is none).</summary>
    ValueTask<Result<AuthenticatedClient>> AuthenticateAsync(
        OrganizationSummary organization, ClientCredentials credentials, ClientApplication? application, CancellationToken cancellationToken);
}
