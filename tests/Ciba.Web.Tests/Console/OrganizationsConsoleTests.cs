using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Console;

public class OrganizationsConsoleTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task Create_BySystemAdministrator_CreatesOrganizationWhoseAdministratorCanUseItsConsole()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await CreateAsync(admin, "umbrella", "Umbrella", "alice", "Umbrella-Passw0rd!");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var list = await admin.GetPageAsync("/t/demo/console/organizations");
        Assert.Contains("umbrella", list, StringComparison.Ordinal);
        using var umbrella = await ConsoleSession.SignInAsync(factory, "alice", "Umbrella-Passw0rd!", "umbrella");
        var users = await umbrella.GetPageAsync("/t/umbrella/console/users");
        Assert.Contains(">alice</a>", users, StringComparison.Ordinal);
        Assert.DoesNotContain(">bob</a>", users, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!", "umbrella"));
    }

    [Fact]
    public async Task Create_WithTakenOrInvalidHandle_ShowsFieldError()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var taken = await CreateAsync(admin, "demo", "Another demo", "root", "Demo2-Passw0rd!");
        using var invalid = await CreateAsync(admin, "Not A Handle", "Bad", "root", "Bad-Passw0rd!");

        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Contains("That handle is taken.", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("A handle is 2 to 32 lowercase letters", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithWeakPassword_LeavesNoOrganizationBehind()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await CreateAsync(admin, "halfway", "Halfway", "root", "weak");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A password needs at least 10 characters, with upper and lower case letters, a digit and a symbol.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await factory.ReadAsync(db => db.Organizations.AnyAsync(o => o.Handle == "halfway")));
    }

    private static Task<HttpResponseMessage> CreateAsync(ConsoleSession admin, string handle, string name, string userName, string password) =>
        admin.PostFormAsync("/t/demo/console/organizations/new",
        [
            new("Handle", handle), new("Name", name), new("AdminUserName", userName),
            new("AdminEmail", $"{userName}@{handle.Replace(' ', '-')}.test"), new("AdminPassword", password),
        ]);
}
