using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Organizations;
using Ciba.Domain.Protection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

/// <summary>product.md §14: reports and their cooldowns.</summary>
internal sealed class RequestReportConfiguration : IEntityTypeConfiguration<RequestReport>
{
    public void Configure(EntityTypeBuilder<RequestReport> builder)
    {
        builder.ToTable("RequestReports");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ClientApplication>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.CooldownEndedBy).HasMaxLength(RequestReport.MaxEndedByLength);

        // The backchannel path's cooldown check: this application, this person, the latest end.
        builder.HasIndex(r => new { r.ApplicationId, r.UserId, r.CooldownUntil });
        builder.HasIndex(r => new { r.OrganizationId, r.ReportedAt });
    }
}

/// <summary>The anti-fatigue limits' columns on the organization.</summary>
internal sealed class OrganizationLimitsConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.Ignore(o => o.Limits);
        builder.Property(o => o.MaxPendingPerUser).HasDefaultValue(Organization.DefaultMaxPendingPerUser);
        builder.Property(o => o.MaxRequestsPerUserPerClient).HasDefaultValue(Organization.DefaultMaxRequestsPerUserPerClient);
        builder.Property(o => o.CooldownMinutes).HasDefaultValue(Organization.DefaultCooldownMinutes);
    }
}

/// <summary>Number matching and the rate limit on the application.</summary>
internal sealed class ApplicationProtectionConfiguration : IEntityTypeConfiguration<ClientApplication>
{
    public void Configure(EntityTypeBuilder<ClientApplication> builder)
    {
        builder.Property(a => a.NumberMatching).HasDefaultValue(false);
    }
}

/// <summary>The limits count a person's recent requests: one range scan of this index.</summary>
internal sealed class BackchannelRequestLimitsConfiguration : IEntityTypeConfiguration<BackchannelAuthenticationRequest>
{
    public void Configure(EntityTypeBuilder<BackchannelAuthenticationRequest> builder)
    {
        builder.HasIndex(r => new { r.UserId, r.CreatedAt });
    }
}
