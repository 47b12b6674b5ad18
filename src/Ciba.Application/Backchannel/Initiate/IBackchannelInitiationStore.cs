using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Applications;
using Ciba.Domain.Notifications;

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
}

public sealed record BackchannelInitiationLookup(
    ClientApplication? Client,
    UserContact? User,
    EmailProviderKind EmailProvider,
    SmsProviderKind SmsProvider);
