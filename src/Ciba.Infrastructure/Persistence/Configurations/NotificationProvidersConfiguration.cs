using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class NotificationProvidersConfiguration : IEntityTypeConfiguration<NotificationProviders>
{
    public void Configure(EntityTypeBuilder<NotificationProviders> builder)
    {
        builder.ToTable("NotificationProviders");
        builder.HasKey(p => p.OrganizationId);
        builder.HasOne<Organization>().WithOne().HasForeignKey<NotificationProviders>(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.SendGridFromAddress).HasMaxLength(320);
        builder.Property(p => p.SendGridFromName).HasMaxLength(100);
        builder.Property(p => p.SendGridBaseUrl).HasMaxLength(500);
        builder.Property(p => p.VonageApiKey).HasMaxLength(100);
        builder.Property(p => p.VonageFrom).HasMaxLength(20);
        builder.Property(p => p.VonageBaseUrl).HasMaxLength(500);
        builder.Ignore(p => p.CanSendEmail);
        builder.Ignore(p => p.CanSendSms);
    }
}
