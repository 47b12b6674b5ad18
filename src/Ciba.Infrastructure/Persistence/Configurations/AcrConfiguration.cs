using Ciba.Domain.Applications;
using Ciba.Domain.Authentication;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

/// <summary>The acr levels of product.md §16 on applications, auth requests and refresh tokens (ADR 0029).</summary>
internal sealed class ApplicationAcrConfiguration : IEntityTypeConfiguration<ClientApplication>
{
    public void Configure(EntityTypeBuilder<ClientApplication> builder) =>
        builder.Property(a => a.MinimumAcr).HasMaxLength(AcrLevels.MaxStoredLength);
}

internal sealed class BackchannelRequestAcrConfiguration : IEntityTypeConfiguration<BackchannelAuthenticationRequest>
{
    public void Configure(EntityTypeBuilder<BackchannelAuthenticationRequest> builder)
    {
        builder.Ignore(r => r.RequestedAcrList);
        builder.Ignore(r => r.AmrList);
        builder.Property(r => r.RequestedAcrValues).HasMaxLength(AcrLevels.MaxStoredLength);
        builder.Property(r => r.MinimumAcr).HasMaxLength(AcrLevels.MaxStoredLength);
        builder.Property(r => r.Acr).HasMaxLength(AcrLevels.MaxStoredLength);
        builder.Property(r => r.Amr).HasMaxLength(AuthenticationMethods.MaxStoredLength);
    }
}

internal sealed class RefreshTokenAcrConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.Property(t => t.Acr).HasMaxLength(AcrLevels.MaxStoredLength);
        builder.Property(t => t.Amr).HasMaxLength(AuthenticationMethods.MaxStoredLength);
    }
}
