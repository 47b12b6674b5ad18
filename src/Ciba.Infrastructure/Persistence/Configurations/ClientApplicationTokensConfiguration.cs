using Ciba.Domain.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

/// <summary>The token-lifecycle columns of an application (product.md §13), beside <see cref="ClientApplicationConfiguration"/>.</summary>
internal sealed class ClientApplicationTokensConfiguration : IEntityTypeConfiguration<ClientApplication>
{
    public void Configure(EntityTypeBuilder<ClientApplication> builder)
    {
        builder.Ignore(a => a.ApiScopes);
        builder.Ignore(a => a.AllowsRefreshToken);
        builder.Property<List<string>>("_apiScopes").HasColumnName("ApiScopes").IsRequired();
        builder.ComplexProperty(a => a.RefreshTokens, settings =>
        {
            settings.Property(s => s.AbsoluteLifetimeSeconds).HasColumnName("RefreshTokenAbsoluteLifetimeSeconds");
            settings.Property(s => s.IdleLifetimeSeconds).HasColumnName("RefreshTokenIdleLifetimeSeconds");
            settings.Property(s => s.AlwaysIssue).HasColumnName("RefreshTokenAlwaysIssue");
        });
    }
}
