using Ciba.Domain.Applications;
using Ciba.Domain.Organizations;
using Ciba.Domain.Tokens;
using Ciba.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.ToTable("RefreshTokens");
        builder.HasKey(t => t.Id);
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ClientApplication>().WithMany().HasForeignKey(t => t.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CibaUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.TokenHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.FamilyId);
        builder.HasIndex(t => new { t.UserId, t.ApplicationId });
        builder.HasIndex(t => new { t.OrganizationId, t.ExpiresAt });
        builder.Property(t => t.Scope).HasMaxLength(2000).IsRequired();
        builder.Property(t => t.Audience).HasMaxLength(2000);

        // PostgreSQL's xmin: two uses of one token at once cannot both rotate it.
        builder.Property<uint>("Version").IsRowVersion();
    }
}

internal sealed class RevokedAccessTokenConfiguration : IEntityTypeConfiguration<RevokedAccessToken>
{
    public void Configure(EntityTypeBuilder<RevokedAccessToken> builder)
    {
        builder.ToTable("RevokedAccessTokens");
        builder.HasKey(t => new { t.OrganizationId, t.Jti });
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ClientApplication>().WithMany().HasForeignKey(t => t.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Jti).HasMaxLength(RevokedAccessToken.MaxJtiLength);
        builder.HasIndex(t => t.ExpiresAt);
    }
}

internal sealed class RevokedGrantFamilyConfiguration : IEntityTypeConfiguration<RevokedGrantFamily>
{
    public void Configure(EntityTypeBuilder<RevokedGrantFamily> builder)
    {
        builder.ToTable("RevokedGrantFamilies");
        builder.HasKey(f => new { f.OrganizationId, f.FamilyId });
        builder.HasOne<Organization>().WithMany().HasForeignKey(f => f.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ClientApplication>().WithMany().HasForeignKey(f => f.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => f.ExpiresAt);
    }
}
