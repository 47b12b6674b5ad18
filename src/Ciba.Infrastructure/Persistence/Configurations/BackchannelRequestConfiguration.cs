using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ciba.Infrastructure.Persistence.Configurations;

internal sealed class BackchannelRequestConfiguration : IEntityTypeConfiguration<BackchannelAuthenticationRequest>
{
    public void Configure(EntityTypeBuilder<BackchannelAuthenticationRequest> builder)
    {
        builder.ToTable("BackchannelRequests");
        builder.HasKey(r => r.Id);
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ClientApplication>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CibaUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.AuthReqIdHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(r => r.AuthReqIdHash).IsUnique();
        builder.Property(r => r.LinkKeyHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(r => r.LinkKeyHash).IsUnique();
        builder.Property(r => r.Scope).HasMaxLength(500).IsRequired();
        builder.Property(r => r.BindingMessage).HasMaxLength(BackchannelAuthenticationRequest.MaxBindingMessageBytes);
        builder.HasIndex(r => new { r.OrganizationId, r.CreatedAt });
        builder.HasIndex(r => r.ExpiresAt);

        // The expiry sweep of ping and push requests (docs/decisions/0024-ping-and-push-callbacks.md).
        builder.HasIndex(r => r.ExpiresAt, "IX_BackchannelRequests_CallbackExpiry").HasFilter("\"ProtectedCallback\" IS NOT NULL AND \"Status\" = 0");

        // PostgreSQL's xmin: a concurrent decision and poll on one row cannot both win.
        builder.Property<uint>("Version").IsRowVersion();
    }
}
