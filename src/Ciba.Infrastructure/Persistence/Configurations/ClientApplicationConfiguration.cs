using Ciba.Domain.Applications;
using Ciba.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class ClientApplicationConfiguration : IEntityTypeConfiguration<ClientApplication>
{
    public void Configure(EntityTypeBuilder<ClientApplication> builder)
    {
        builder.ToTable("Applications");
        builder.HasKey(a => a.Id);
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.Name).HasMaxLength(ClientApplication.MaxNameLength).IsRequired();
        builder.Property(a => a.Description).HasMaxLength(ClientApplication.MaxDescriptionLength);
        builder.Property(a => a.ClientId).HasMaxLength(100).IsRequired();
        builder.HasIndex(a => a.ClientId).IsUnique();
        builder.HasIndex(a => a.OrganizationId);
        builder.Property(a => a.ClientSecretHash).HasMaxLength(200).IsRequired();
        builder.Ignore(a => a.GrantTypes);
        builder.Ignore(a => a.AllowsCiba);
        builder.Property<List<string>>("_grantTypes").HasColumnName("GrantTypes").IsRequired();
        builder.ComplexProperty(a => a.CibaSettings, settings =>
        {
            settings.Property(s => s.ExpirySeconds).HasColumnName("CibaExpirySeconds");
            settings.Property(s => s.Channels).HasColumnName("CibaChannels");
            settings.Property(s => s.PollingIntervalSeconds).HasColumnName("CibaPollingIntervalSeconds");
        });
        builder.Property(a => a.ClientNotificationEndpoint).HasMaxLength(ClientNotificationEndpoint.MaxLength);
    }
}
