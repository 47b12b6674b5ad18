using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Applications;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// The backchannel request's reads in one round trip: the client, the person named by
/// <c>login_hint</c> and the organization's notification providers.
/// </summary>
public interface IBackchannelInitiationStore
{
    /// <summary>
    /// The organization's application with <paramref name="clientId"/>, the one user whose username,
    /// email or mobile number is <paramref name="loginHint"/> (null without a hint, or when the hint
    /// names nobody or two people), and the organization's provider kinds (None without a row). Only
    /// the application is read when there is none.
    /// </summary>
    Task<BackchannelInitiationLookup> FindAsync(Guid organizationId, string clientId, string? loginHint, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the accepted request with its outbox and audit rows in one round trip: one batch, which
    /// PostgreSQL runs as one implicit transaction (all rows or none), instead of BEGIN, batch, COMMIT.
    /// </summary>
    Task SaveAcceptedAsync(CancellationToken cancellationToken);

    /// <summary>The anti-fatigue counts of one person for one application (the id_token_hint path, where the person is found later).</summary>
    Task<AntiFatigueCounts> CountAsync(Guid applicationId, Guid userId, CancellationToken cancellationToken);
}

public sealed record BackchannelInitiationLookup(
    ClientApplication? Client,
    UserContact? User,
    EmailProviderKind EmailProvider,
    SmsProviderKind SmsProvider)
{
    /// <summary>The organization's anti-fatigue limits (product.md §14), read in the same query.</summary>
    public AntiFatigueLimits Limits { get; init; } = AntiFatigueLimits.Default;

    /// <summary>The found person's counts against <see cref="Limits"/> for this application, read in the same query.</summary>
    public AntiFatigueCounts Counts { get; init; } = AntiFatigueCounts.None;
}
