using Ciba.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class AuthenticatorStepConfiguration : IEntityTypeConfiguration<AuthenticatorStep>
{
    public void Configure(EntityTypeBuilder<AuthenticatorStep> builder)
    {
        builder.ToTable("AuthenticatorSteps");
        builder.HasKey(s => s.UserId);
        builder.Property(s => s.UserId).ValueGeneratedNever();
        builder.HasOne<CibaUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
