using Ciba.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.ToTable("Organizations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Handle).HasMaxLength(32).IsRequired();
        builder.HasIndex(o => o.Handle).IsUnique();
        builder.Property(o => o.Name).HasMaxLength(Organization.MaxNameLength).IsRequired();
        builder.Property(o => o.RequestRetentionDays).HasDefaultValue(Organization.DefaultRequestRetentionDays);
        builder.Property(o => o.MessageRetentionDays).HasDefaultValue(Organization.DefaultMessageRetentionDays);
        builder.Property(o => o.AuditRetentionDays).HasDefaultValue(Organization.DefaultAuditRetentionDays);
    }
}
