using Ciba.Domain.Apis;
using Ciba.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class ApiResourceConfiguration : IEntityTypeConfiguration<ApiResource>
{
    public void Configure(EntityTypeBuilder<ApiResource> builder)
    {
        builder.ToTable("ApiResources");
        builder.HasKey(a => a.Id);
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.Name).HasMaxLength(ApiResource.MaxNameLength).IsRequired();
        builder.Property(a => a.Identifier).HasMaxLength(ApiResource.MaxIdentifierLength).IsRequired();
        builder.HasIndex(a => new { a.OrganizationId, a.Identifier }).IsUnique();
        builder.HasMany(a => a.Scopes).WithOne().HasForeignKey(s => s.ApiResourceId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(a => a.Scopes).HasField("_scopes").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class ApiScopeConfiguration : IEntityTypeConfiguration<ApiScope>
{
    public void Configure(EntityTypeBuilder<ApiScope> builder)
    {
        builder.ToTable("ApiScopes");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Value).HasMaxLength(ApiScope.MaxValueLength).IsRequired();
        builder.Property(s => s.Description).HasMaxLength(ApiScope.MaxDescriptionLength).IsRequired();
        builder.HasIndex(s => new { s.OrganizationId, s.Value }).IsUnique();
    }
}
