using System.Net;
using Ciba.Application.Common.Interfaces;
using Ciba.Infrastructure.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Identity;

/// <summary>
/// The web app with two test hooks: the <c>X-Test-Client-Address</c> header sets the connection's
/// remote address (the in-memory server has none), and every password hash verification is counted.
/// </summary>
public class IdentityWebFactory : CibaWebFactory
{
    public const string ClientAddressHeader = "X-Test-Client-Address";

    public CountingPasswordHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter, ClientAddressFromHeader>();
            services.AddSingleton<IPasswordHasher<CibaUser>>(Hasher);
        });
    }

    /// <summary>Creates a user of the demo organization straight through Identity and returns its id.</summary>
    public async Task<Guid> CreateUserAsync(string userName, string password, bool administrator = false, string? email = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var organization = (await provider.GetRequiredService<IOrganizationLookup>().FindByHandleAsync("demo", CancellationToken.None))!;
        provider.GetRequiredService<IOrganizationContext>().Enter(organization.Id, organization.Handle);
        var users = provider.GetRequiredService<UserManager<CibaUser>>();
        var user = new CibaUser
        {
            OrganizationId = organization.Id,
            UserName = userName,
            Email = email ?? userName + "@demo.test",
            EmailConfirmed = true,
            PhoneNumber = "+1555019" + Random.Shared.Next(1000, 9999),
            PhoneNumberConfirmed = true,
            DisplayName = userName,
        };
        Check(await users.CreateAsync(user, password));
        if (administrator)
        {
            Check(await users.AddToRoleAsync(user, Roles.Administrator));
        }

        return user.Id;
    }

    /// <summary>Sets the lock as the database would hold it, without renewing the security stamp (a session's last minute).</summary>
    public async Task SetLockoutEndAsync(Guid userId, DateTimeOffset? end)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Persistence.CibaDbContext>();
        var user = await db.Users.FindAsync(userId);
        user!.LockoutEnd = end;
        await db.SaveChangesAsync();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientAddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>Identity's hasher, counting the verifications it runs.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<CibaUser>
{
    private readonly PasswordHasher<CibaUser> _inner = new();
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(CibaUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(CibaUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
