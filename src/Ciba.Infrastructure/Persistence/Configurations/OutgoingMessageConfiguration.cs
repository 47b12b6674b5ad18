using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class OutgoingMessageConfiguration : IEntityTypeConfiguration<OutgoingMessage>
{
    public void Configure(EntityTypeBuilder<OutgoingMessage> builder)
    {
        builder.ToTable("OutgoingMessages");
        builder.HasKey(m => m.Id);
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<BackchannelAuthenticationRequest>().WithMany().HasForeignKey(m => m.BackchannelRequestId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(m => m.Recipient).HasMaxLength(320).IsRequired();
        builder.Property(m => m.ProviderMessageId).HasMaxLength(200);
        builder.Property(m => m.LastError).HasMaxLength(OutgoingMessage.MaxErrorLength);

        // The dispatcher's claim query: due pending messages, oldest first.
        builder.HasIndex(m => m.NextAttemptAt).HasFilter("\"Status\" = 0").HasDatabaseName("IX_OutgoingMessages_Due");
        builder.HasIndex(m => new { m.OrganizationId, m.CreatedAt });
        builder.HasIndex(m => m.BackchannelRequestId);
    }
}
