using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Apis;
using Ciba.Domain.Applications;
using Ciba.Domain.Audit;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Ciba.Domain.Tokens;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Tokens;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Persistence;

public sealed class CibaDbContext(DbContextOptions<CibaDbContext> options)
    : IdentityDbContext<CibaUser, IdentityRole<Guid>, Guid>(options), IApplicationDbContext, IDataProtectionKeyContext
{
    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<ClientApplication> Applications => Set<ClientApplication>();

    public DbSet<BackchannelAuthenticationRequest> BackchannelRequests => Set<BackchannelAuthenticationRequest>();

    public DbSet<OutgoingMessage> OutgoingMessages => Set<OutgoingMessage>();

    public DbSet<NotificationProviders> NotificationProviders => Set<NotificationProviders>();

    public DbSet<DevelopmentInboxMessage> DevelopmentInbox => Set<DevelopmentInboxMessage>();

    public DbSet<ApiResource> ApiResources => Set<ApiResource>();

    public DbSet<ApiScope> ApiScopes => Set<ApiScope>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<RevokedAccessToken> RevokedAccessTokens => Set<RevokedAccessToken>();

    public DbSet<RevokedGrantFamily> RevokedGrantFamilies => Set<RevokedGrantFamily>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SignInThrottleEntry> SignInThrottles => Set<SignInThrottleEntry>();

    public DbSet<AuthenticatorStep> AuthenticatorSteps => Set<AuthenticatorStep>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<Domain.Protection.RequestReport> RequestReports => Set<Domain.Protection.RequestReport>();

    public DbSet<TrustedHintIssuer> TrustedHintIssuers => Set<TrustedHintIssuer>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CibaDbContext).Assembly);
    }
}
