using System.Diagnostics;
using System.Net;
using Ciba.Infrastructure.Seeding;
using Ciba.Web.Tests.Console;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Protection;

/// <summary>The web app seeded with CIBA_DEMO_USERS=10000 synthetic users.</summary>
public sealed class SyntheticUsersFactory : CibaWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(DemoDataSeeder.SyntheticUsersVariable, "10000");
    }
}

/// <summary>Issue 14 item 6: CIBA_DEMO_USERS=N adds N synthetic users, idempotently and quickly.</summary>
public sealed class SyntheticUsersSeedTests(SyntheticUsersFactory factory) : IClassFixture<SyntheticUsersFactory>
{
    [Fact]
    public async Task Seed_AddsTenThousandUsersWithoutPasswords_AndAgainChangesNothing()
    {
        var users = await factory.ReadAsync(db => db.Users.Where(u => u.UserName!.StartsWith("user")).CountAsync());
        var first = await factory.ReadAsync(db => db.Users.SingleAsync(u => u.UserName == "user00001"));

        Assert.Equal(10_000, users);
        Assert.Equal(("user00001@demo.test", true), (first.Email, first.EmailConfirmed));
        Assert.Null(first.PasswordHash);
        Assert.Equal("+15552000001", first.PhoneNumber);

        var watch = Stopwatch.StartNew();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(CancellationToken.None);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"The second seed took {watch.Elapsed}.");
        Assert.Equal(10_000, await factory.ReadAsync(db => db.Users.Where(u => u.UserName!.StartsWith("user")).CountAsync()));
    }
}

/// <summary>The web app with the per-address limit at 3 in 5 minutes.</summary>
public sealed class RateLimitedFactory : CibaWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ciba:RateLimits:PerAddressPermitLimit", "3");
    }
}

/// <summary>product.md §14 rate limits per address on sign-in: the N-th allowed, the N+1-th 429 with Retry-After, allowed again after the window.</summary>
public sealed class PerAddressRateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
{
    [Fact]
    public async Task SignIn_OverThePerAddressLimit_Answers429WithRetryAfter()
    {
        using var session = ConsoleSession.Anonymous(factory);
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await session.PostFormAsync("/t/demo/login", [new("Login", "bob"), new("Password", "Wrong-Passw0rd!")]);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }

        using var refused = await session.PostFormAsync("/t/demo/login", [new("Login", "bob"), new("Password", "Wrong-Passw0rd!")]);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null, "Retry-After is missing.");
        using var page = await session.GetAsync("/t/demo/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
