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
        ConfigureClientAuthentication(builder);
        builder.Property<List<string>>("_grantTypes").HasColumnName("GrantTypes").IsRequired();
        builder.Property(a => a.IdTokenSigningAlgorithm).HasMaxLength(ClientApplication.MaxSigningAlgorithmLength).IsRequired().HasDefaultValue(SigningAlgorithms.Default);
        builder.ComplexProperty(a => a.CibaSettings, settings =>
        {
            settings.Property(s => s.ExpirySeconds).HasColumnName("CibaExpirySeconds");
            settings.Property(s => s.Channels).HasColumnName("CibaChannels");
            settings.Property(s => s.PollingIntervalSeconds).HasColumnName("CibaPollingIntervalSeconds");
        });
        builder.Property(a => a.ClientNotificationEndpoint).HasMaxLength(ClientNotificationEndpoint.MaxLength);
    }

    /// <summary>product.md §10 (ADR 0022): existing rows keep accepting either secret method.</summary>
    private static void ConfigureClientAuthentication(EntityTypeBuilder<ClientApplication> builder)
    {
        builder.Ignore(a => a.HasKeys);
        builder.Property(a => a.TokenEndpointAuthMethod)
            .HasConversion(m => TokenEndpointAuthMethods.NameOf(m), name => TokenEndpointAuthMethods.Parse(name) ?? TokenEndpointAuthMethod.ClientSecretBasicOrPost)
            .HasMaxLength(40)
            .IsRequired();
        builder.Property(a => a.Jwks).HasMaxLength(ClientApplication.MaxJwksLength);
        builder.Property(a => a.JwksUri).HasMaxLength(ClientApplication.MaxJwksUriLength);
    }
}
