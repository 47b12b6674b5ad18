using Ciba.Domain.Applications;

namespace Ciba.Application.Clients;

/// <summary>
/// The organization's applications by client id, for authenticating clients on the protocol
/// endpoints: served from memory while the node listens for changes, otherwise read from
/// PostgreSQL (ADR 0031). The instance returned is shared and must not be changed or attached to
/// a <c>DbContext</c>; the console reads its own tracked copy to change an application.
/// </summary>
public interface IClientApplications
{
    ValueTask<ClientApplication?> FindAsync(Guid organizationId, string clientId, CancellationToken cancellationToken);
}
