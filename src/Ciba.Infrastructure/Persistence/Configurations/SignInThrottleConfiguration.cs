using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class SignInThrottleConfiguration : IEntityTypeConfiguration<SignInThrottleEntry>
{
    public void Configure(EntityTypeBuilder<SignInThrottleEntry> builder)
    {
        builder.ToTable("SignInThrottles");
        builder.HasKey(t => new { t.OrganizationId, t.LoginKey, t.AddressKey });
        builder.Property(t => t.AddressKey).HasMaxLength(64);
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.LastAttemptAt);
    }
}
