using Ciba.Domain.Apis;
using Ciba.Domain.Applications;
using Ciba.Domain.Audit;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Ciba.Domain.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Common.Interfaces;

/// <summary>The application's view of the database (no generic repository over EF Core).</summary>
public interface IApplicationDbContext
{
    DbSet<Organization> Organizations { get; }

    DbSet<ClientApplication> Applications { get; }

    DbSet<BackchannelAuthenticationRequest> BackchannelRequests { get; }

    DbSet<OutgoingMessage> OutgoingMessages { get; }

    DbSet<NotificationProviders> NotificationProviders { get; }

    DbSet<DevelopmentInboxMessage> DevelopmentInbox { get; }

    DbSet<ApiResource> ApiResources { get; }

    DbSet<ApiScope> ApiScopes { get; }

    DbSet<RefreshToken> RefreshTokens { get; }

    DbSet<RevokedAccessToken> RevokedAccessTokens { get; }

    DbSet<RevokedGrantFamily> RevokedGrantFamilies { get; }
    DbSet<DeliveryAttempt> DeliveryAttempts { get; }

    DbSet<AuditEvent> AuditEvents { get; }

    DbSet<Domain.Protection.RequestReport> RequestReports { get; }

    DbSet<TrustedHintIssuer> TrustedHintIssuers { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken);
}
