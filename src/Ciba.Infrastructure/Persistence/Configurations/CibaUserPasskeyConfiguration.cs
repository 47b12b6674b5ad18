using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class CibaUserPasskeyConfiguration : IEntityTypeConfiguration<CibaUserPasskey>
{
    public void Configure(EntityTypeBuilder<CibaUserPasskey> builder)
    {
        builder.ToTable("UserPasskeys");
        builder.HasKey(p => new { p.OrganizationId, p.CredentialId });
        builder.Property(p => p.CredentialId).HasMaxLength(1023);
        builder.Property(p => p.Name).HasMaxLength(CibaUserPasskey.MaxNameLength);
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CibaUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.UserId);
    }
}
