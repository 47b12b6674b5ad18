using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class DevelopmentInboxMessageConfiguration : IEntityTypeConfiguration<DevelopmentInboxMessage>
{
    public void Configure(EntityTypeBuilder<DevelopmentInboxMessage> builder)
    {
        builder.ToTable("DevelopmentInboxMessages");
        builder.HasKey(m => m.Id);
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(m => m.Recipient).HasMaxLength(320).IsRequired();
        builder.Property(m => m.Subject).HasMaxLength(300);
        builder.Property(m => m.Link).HasMaxLength(1000);
        builder.HasIndex(m => new { m.OrganizationId, m.ReceivedAt });
    }
}
