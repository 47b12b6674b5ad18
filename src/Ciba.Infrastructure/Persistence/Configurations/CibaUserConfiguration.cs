using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

/// <summary>Users belong to an organization; user names are unique within it, not globally.</summary>
internal sealed class CibaUserConfiguration : IEntityTypeConfiguration<CibaUser>
{
    public void Configure(EntityTypeBuilder<CibaUser> builder)
    {
        foreach (var globalIndex in builder.Metadata.GetIndexes()
                     .Where(i => i.Properties.Count == 1 && i.Properties[0].Name is nameof(CibaUser.NormalizedUserName) or nameof(CibaUser.NormalizedEmail))
                     .ToList())
        {
            builder.Metadata.RemoveIndex(globalIndex);
        }

        builder.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(u => new { u.OrganizationId, u.NormalizedUserName }).IsUnique().HasDatabaseName("UserNameIndex");
        builder.HasIndex(u => new { u.OrganizationId, u.NormalizedEmail }).HasDatabaseName("EmailIndex");
        builder.HasIndex(u => new { u.OrganizationId, u.PhoneNumber }).HasDatabaseName("PhoneNumberIndex");
        builder.Property(u => u.DisplayName).HasMaxLength(100);
        builder.Property(u => u.PhoneNumber).HasMaxLength(16);
    }
}
