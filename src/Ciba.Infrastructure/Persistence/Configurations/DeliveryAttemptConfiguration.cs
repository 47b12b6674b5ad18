using Ciba.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.ToTable("DeliveryAttempts");
        builder.HasKey(a => a.Id);

        // Purged with its message (retention deletes messages).
        builder.HasOne<OutgoingMessage>().WithMany().HasForeignKey(a => a.OutgoingMessageId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.Detail).HasMaxLength(OutgoingMessage.MaxErrorLength);
        builder.HasIndex(a => new { a.OutgoingMessageId, a.Number });
    }
}
