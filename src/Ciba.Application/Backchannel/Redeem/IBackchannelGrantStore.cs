using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;

namespace Ciba.Application.Backchannel.Redeem;

/// <summary>
/// The token poll's hand-tuned persistence (docs/decisions/0008-poll-store-and-non-durable-poll-writes.md):
/// the client and the auth request in one round trip, and one conditional write guarded by the row version.
/// </summary>
public interface IBackchannelGrantStore
{
    /// <summary>
    /// The organization's application with <paramref name="clientId"/> and the auth request with
    /// <paramref name="authReqIdHash"/>, whichever client it was issued to (with its user's lockout
    /// end, read in the same query); the request is null when there is no application.
    /// </summary>
    Task<BackchannelGrantLookup> FindAsync(
        Guid organizationId, string clientId, byte[] authReqIdHash, CancellationToken cancellationToken);

    /// <summary>
    /// A poll of a pending, unexpired request of <paramref name="applicationId"/> whose person is not
    /// locked, in one statement that checks and updates (committed non-durably, ADR 0008):
    /// <see cref="PollOutcome.Pending"/> or <see cref="PollOutcome.SlowDown"/>, with the interval
    /// grown by 5 seconds on the latter. Null, with nothing written, for any other request.
    /// </summary>
    Task<PollOutcome?> TryPollPendingAsync(Guid applicationId, byte[] authReqIdHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the poll's changes if nobody else changed the request since it was read; false when
    /// someone did. A non-durable write may be lost in a crash of the database server.
    /// </summary>
    Task<bool> TrySavePollAsync(BackchannelAuthenticationRequest request, bool durable, CancellationToken cancellationToken);

    /// <summary>Reads the request again after a lost <see cref="TrySavePollAsync"/>.</summary>
    Task ReloadAsync(BackchannelAuthenticationRequest request, CancellationToken cancellationToken);
}

/// <summary>What a poll reads in its one query.</summary>
/// <param name="UserLockoutEnd">Until when the request's user is locked (docs/decisions/0012-sessions-and-sign-in-throttling.md).</param>
public sealed record BackchannelGrantLookup(ClientApplication? Client, BackchannelAuthenticationRequest? Request, DateTimeOffset? UserLockoutEnd = null)
{
    public void Deconstruct(out ClientApplication? client, out BackchannelAuthenticationRequest? request)
    {
        client = Client;
        request = Request;
    }
}
