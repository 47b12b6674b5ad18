using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Ciba.Infrastructure.Seeding;

/// <summary>
/// Creates the demo organization, its users, applications and providers; running it again changes
/// nothing. Nodes that start together take turns: the seed runs under a PostgreSQL advisory lock.
/// </summary>
public sealed partial class DemoDataSeeder(
    CibaDbContext db,
    UserManager<CibaUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOrganizationContext organizationContext,
    TimeProvider time,
    ILogger<DemoDataSeeder> logger)
{
    /// <summary>The advisory lock key of the demo seed (any fixed number no other lock uses).</summary>
    private const long SeedLockKey = 0x43_69_62_61_53_65_65_64; // "CibaSeed"

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({SeedLockKey})", cancellationToken);
            try
            {
                await SeedLockedAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({SeedLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task SeedLockedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Handle == DemoData.OrganizationHandle, cancellationToken);
        if (organization is null)
        {
            organization = Organization.Create(DemoData.OrganizationHandle, DemoData.OrganizationName, now);
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(cancellationToken);
        }

        organizationContext.Enter(organization.Id, organization.Handle);
        await EnsureRoleAsync();
        foreach (var demoUser in DemoData.Users)
        {
            await EnsureUserAsync(organization.Id, demoUser);
        }

        await EnsureApisAsync(organization.Id, now, cancellationToken);
        foreach (var demoApplication in DemoData.Applications)
        {
            await EnsureApplicationAsync(organization.Id, demoApplication, now, cancellationToken);
        }

        await EnsureDevelopmentInboxAsync(organization.Id, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        LogSeeded(logger, organization.Handle);
    }

    private async Task EnsureRoleAsync()
    {
        if (!await roles.RoleExistsAsync(Roles.Administrator))
        {
            ThrowIfFailed(await roles.CreateAsync(new IdentityRole<Guid>(Roles.Administrator)));
        }
    }

    private async Task EnsureUserAsync(Guid organizationId, DemoUser demoUser)
    {
        if (await users.FindByNameAsync(demoUser.UserName) is not null)
        {
            return;
        }

        var user = new CibaUser
        {
            OrganizationId = organizationId,
            UserName = demoUser.UserName,
            DisplayName = demoUser.DisplayName,
            Email = demoUser.Email,
            EmailConfirmed = demoUser.EmailVerified,
            PhoneNumber = demoUser.Mobile,
            PhoneNumberConfirmed = demoUser.Mobile is not null,
        };
        ThrowIfFailed(await users.CreateAsync(user, demoUser.Password));
        if (demoUser.IsAdministrator)
        {
            ThrowIfFailed(await users.AddToRoleAsync(user, Roles.Administrator));
        }
    }

    private async Task EnsureApplicationAsync(Guid organizationId, DemoApplication demo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Applications.AnyAsync(a => a.ClientId == demo.ClientId, cancellationToken))
        {
            return;
        }

        IEnumerable<string> grantTypes = [.. demo.CibaEnabled ? [GrantTypes.Ciba] : Array.Empty<string>(), .. demo.RefreshToken ? [GrantTypes.RefreshToken] : Array.Empty<string>()];
        var settings = CibaSettings.Create(CibaSettings.DefaultExpirySeconds, demo.Channels, CibaSettings.DefaultPollingIntervalSeconds);
        var application = ClientApplication.Create(
            organizationId, demo.Name, demo.ClientId, SecretHashing.HashClientSecret(demo.ClientSecret ?? RandomTokens.Create()), grantTypes, settings, now);
        application.UpdateClientAuthentication(demo.AuthMethod, ReadResource(demo.JwksResource), null, demo.RequireSignedRequests, now);
        application.UpdateTokens(RefreshTokenSettings.Default, demo.ApiScopes ?? [], now);
        application.UpdateTokenDelivery(demo.DeliveryMode, demo.NotificationEndpoint, now);
        db.Applications.Add(application);
    }

    private static string? ReadResource(string? name)
    {
        if (name is null)
        {
            return null;
        }

        using var stream = typeof(DemoDataSeeder).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The seed resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task EnsureDevelopmentInboxAsync(Guid organizationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.NotificationProviders.AnyAsync(p => p.OrganizationId == organizationId, cancellationToken))
        {
            return;
        }

        var providers = NotificationProviders.CreateFor(organizationId, now);
        providers.UseEmailDevelopmentInbox(now);
        providers.UseSmsDevelopmentInbox(now);
        db.NotificationProviders.Add(providers);
    }

    private static void ThrowIfFailed(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Seeding failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Demo organization '{Handle}' is in place.")]
    private static partial void LogSeeded(ILogger logger, string handle);
}
