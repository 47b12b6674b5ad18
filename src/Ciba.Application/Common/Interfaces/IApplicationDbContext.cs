using Ciba.Domain.Applications;
using Ciba.Domain.Audit;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
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

    DbSet<AuditEvent> AuditEvents { get; }

    DbSet<Domain.Protection.RequestReport> RequestReports { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken);
}
