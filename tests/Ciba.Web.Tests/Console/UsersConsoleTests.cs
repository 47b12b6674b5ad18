using System.Net;
using System.Text.RegularExpressions;
using Ciba.Application.Common.Interfaces;
using Ciba.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Console;

public class UsersConsoleTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task Create_SavesNormalizedMobileVerifiedEmailAndRole_AndTheUserCanSignIn()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await CreateUserAsync(admin, "dora", "Dora-Passw0rd!", mobile: "+1 (555) 010-0077", administrator: true);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var dora = await UserAsync("dora");
        Assert.Equal("+15550100077", dora.PhoneNumber);
        Assert.Equal("dora@demo.test", dora.Email);
        Assert.True(dora.EmailConfirmed);
        Assert.True(await IsAdministratorAsync(dora));
        using var session = await ConsoleSession.SignInAsync(factory, "dora", "Dora-Passw0rd!");
        using var console = await session.GetAsync("/t/demo/console/users");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
    }

    [Fact]
    public async Task Create_WithTakenUserNameWeakPasswordOrBadMobile_ShowsFieldErrorsAndCreatesNobody()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var taken = await CreateUserAsync(admin, "ALICE", "Another-Passw0rd!");
        using var weak = await CreateUserAsync(admin, "dave", "short");
        using var mobile = await CreateUserAsync(admin, "erin", "Erin-Passw0rd!", mobile: "call me");

        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Matches(FieldError("UserName", "is already taken"), await taken.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Matches(FieldError("Password", "A password needs at least 10 characters, with upper and lower case letters, a digit and a symbol."), await weak.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, mobile.StatusCode);
        Assert.Matches(FieldError("Mobile", "Enter a mobile number in international format"), await mobile.Content.ReadAsStringAsync());
        Assert.False(await factory.ReadAsync(db => db.Users.AnyAsync(u => u.UserName == "dave" || u.UserName == "erin")));
    }

    [Fact]
    public async Task Search_ByUserNameEmailOrMobile_FindsTheUserAndMasksMobiles()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        var byMobile = await admin.GetPageAsync("/t/demo/console/users?search=0100001");
        var byEmail = await admin.GetPageAsync("/t/demo/console/users?search=bob%40demo");
        var nobody = await admin.GetPageAsync("/t/demo/console/users?search=zzz");

        Assert.Contains(">alice</a>", byMobile, StringComparison.Ordinal);
        Assert.DoesNotContain(">bob</a>", byMobile, StringComparison.Ordinal);
        Assert.Contains("+1555•••0001", WebUtility.HtmlDecode(byMobile), StringComparison.Ordinal);
        Assert.DoesNotContain("+15550100001", byMobile, StringComparison.Ordinal);
        Assert.Contains(">bob</a>", byEmail, StringComparison.Ordinal);
        Assert.Contains("No users match.", nobody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_ChangesProfileAndRole()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        using var _ = await CreateUserAsync(admin, "frank", "Frank-Passw0rd!");
        var frank = await UserAsync("frank");
        var path = $"/t/demo/console/users/{frank.Id}";

        using var response = await admin.PostFormAsync(path,
        [
            new("UserName", "franklin"), new("DisplayName", "Franklin"), new("Email", "franklin@demo.test"),
            new("EmailVerified", "false"), new("Mobile", "0044 20 7946 0000"), new("IsAdministrator", "true"),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var franklin = await UserAsync("franklin");
        Assert.Equal(frank.Id, franklin.Id);
        Assert.Equal("Franklin", franklin.DisplayName);
        Assert.False(franklin.EmailConfirmed);
        Assert.Equal("+442079460000", franklin.PhoneNumber);
        Assert.True(await IsAdministratorAsync(franklin));
    }

    [Fact]
    public async Task Edit_RemovingOwnAdministratorRole_IsRefused()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var self = await UserAsync("admin");

        using var response = await admin.PostFormAsync($"/t/demo/console/users/{self.Id}",
            [new("UserName", "admin"), new("Email", "admin@demo.test"), new("EmailVerified", "true"), new("IsAdministrator", "false")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(FieldError("IsAdministrator", "You cannot remove the Administrator role from yourself."), await response.Content.ReadAsStringAsync());
        Assert.True(await IsAdministratorAsync(self));
    }

    [Fact]
    public async Task ResetPassword_NewPasswordSignsIn_WeakOneIsRefused()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        using var _ = await CreateUserAsync(admin, "grace", "Grace-Passw0rd!");
        var grace = await UserAsync("grace");
        var path = $"/t/demo/console/users/{grace.Id}/password";

        using var weak = await admin.PostFormAsync(path, [new("Password", "weak")], formPage: $"/t/demo/console/users/{grace.Id}");
        using var reset = await admin.PostFormAsync(path, [new("Password", "Grace-N3w-Passw0rd!")], formPage: $"/t/demo/console/users/{grace.Id}");

        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Matches(FieldError("Password", "A password needs at least 10 characters, with upper and lower case letters, a digit and a symbol."), await weak.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        using var session = await ConsoleSession.SignInAsync(factory, "grace", "Grace-N3w-Passw0rd!");
    }

    [Fact]
    public async Task LockAndUnlock_StopAndAllowSignIn()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        using var _ = await CreateUserAsync(admin, "heidi", "Heidi-Passw0rd!");
        var heidi = await UserAsync("heidi");
        var page = $"/t/demo/console/users/{heidi.Id}";

        using var locked = await admin.PostFormAsync($"{page}/lock", [], formPage: page);
        await Assert.ThrowsAsync<InvalidOperationException>(() => ConsoleSession.SignInAsync(factory, "heidi", "Heidi-Passw0rd!"));
        var lockedPage = await admin.GetPageAsync(page);
        using var unlocked = await admin.PostFormAsync($"{page}/unlock", [], formPage: page);
        using var session = await ConsoleSession.SignInAsync(factory, "heidi", "Heidi-Passw0rd!");

        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Contains("Locked", lockedPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
    }

    [Fact]
    public async Task Lock_Self_IsRefused()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var self = await UserAsync("admin");
        var page = $"/t/demo/console/users/{self.Id}";

        using var response = await admin.PostFormAsync($"{page}/lock", [], formPage: page);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("You cannot lock yourself out.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await UserAsync("admin")).LockoutEnd);
    }

    [Fact]
    public async Task Edit_UserOfAnotherOrganizationOrUnknown_Is404()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.GetAsync($"/t/demo/console/users/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Task<HttpResponseMessage> CreateUserAsync(ConsoleSession admin, string userName, string password, string? mobile = null, bool administrator = false) =>
        admin.PostFormAsync("/t/demo/console/users/new",
        [
            new("UserName", userName), new("DisplayName", userName), new("Email", $"{userName.ToLowerInvariant()}@demo.test"),
            new("EmailVerified", "true"), new("Mobile", mobile ?? string.Empty), new("Password", password),
            new("IsAdministrator", administrator ? "true" : "false"),
        ]);

    private Task<CibaUser> UserAsync(string userName) =>
        factory.ReadAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName));

    private async Task<bool> IsAdministratorAsync(CibaUser user)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IOrganizationContext>().Enter(user.OrganizationId, "demo");
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CibaUser>>();
        return await users.IsInRoleAsync((await users.FindByIdAsync(user.Id.ToString()))!, Roles.Administrator);
    }

    private static Regex FieldError(string field, string message) =>
        new($"data-valmsg-for=\"{field}\"[^>]*>[^<]*{Regex.Escape(message)}");
}
