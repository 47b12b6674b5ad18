using Ciba.Domain.Applications;
using Ciba.Domain.Organizations;
using Ciba.Domain.Users;
using Ciba.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

/// <summary>product.md §12: one user code per person, gone with the person.</summary>
internal sealed class UserCodeConfiguration : IEntityTypeConfiguration<UserCode>
{
    public void Configure(EntityTypeBuilder<UserCode> builder)
    {
        builder.ToTable("UserCodes");
        builder.HasKey(c => c.UserId);
        builder.Property(c => c.UserId).ValueGeneratedNever();
        builder.Property(c => c.Hash).HasMaxLength(200);
        builder.HasOne<CibaUser>().WithOne().HasForeignKey<UserCode>(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The application's <i>require user code</i> setting.</summary>
internal sealed class ApplicationUserCodeConfiguration : IEntityTypeConfiguration<ClientApplication>
{
    public void Configure(EntityTypeBuilder<ClientApplication> builder)
    {
        builder.Property(a => a.RequireUserCode).HasDefaultValue(false);
    }
}

/// <summary>product.md §12: the organization's trusted login_hint_token issuers, one row per <c>iss</c>.</summary>
internal sealed class TrustedHintIssuerConfiguration : IEntityTypeConfiguration<TrustedHintIssuer>
{
    public void Configure(EntityTypeBuilder<TrustedHintIssuer> builder)
    {
        builder.ToTable("TrustedHintIssuers");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.Issuer).HasMaxLength(TrustedHintIssuer.MaxIssuerLength);
        builder.Property(i => i.Jwks).HasMaxLength(TrustedHintIssuer.MaxJwksLength);
        builder.HasOne<Organization>().WithMany().HasForeignKey(i => i.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => new { i.OrganizationId, i.Issuer }).IsUnique();
    }
}
