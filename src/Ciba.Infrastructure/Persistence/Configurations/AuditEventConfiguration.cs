using Ciba.Domain.Audit;
using Ciba.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.HasOne<Organization>().WithMany().HasForeignKey(e => e.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Action).HasMaxLength(AuditEvent.MaxActionLength).IsRequired();
        builder.Property(e => e.Actor).HasMaxLength(AuditEvent.MaxActorLength);
        builder.Property(e => e.Subject).HasMaxLength(AuditEvent.MaxSubjectLength);
        builder.Property(e => e.Detail).HasMaxLength(AuditEvent.MaxDetailLength);
        builder.Property(e => e.SourceAddress).HasMaxLength(AuditEvent.MaxAddressLength);

        // No foreign keys to users or applications: the log outlives what it mentions.
        builder.HasIndex(e => new { e.OrganizationId, e.OccurredAt, e.Id });
        builder.HasIndex(e => new { e.OrganizationId, e.UserId, e.OccurredAt });
    }
}
