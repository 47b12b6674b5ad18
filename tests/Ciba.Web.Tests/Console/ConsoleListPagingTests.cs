using System.Net;
using System.Text.RegularExpressions;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Console;

/// <summary>Issue 9 item 13 and issue 10 item 6: console lists paged by keyset, a capped count, and no page parameter that can break them.</summary>
public partial class ConsoleListPagingTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    public static TheoryData<string> Lists => new()
    {
        "/t/demo/console/activity",
        "/t/demo/console/activity/deliveries",
        "/t/demo/console/activity/inbox",
        "/t/demo/console/users",
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task List_WithOverflowingOrMalformedPaging_AnswersTheFirstPage(string path)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        foreach (var query in new[]
        {
            "?page=107374184", "?page=-1", "?page=99999999999999999999", "?page=abc", "?after=" + new string('A', 5000),
            "?after=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "?before=_-_-", "?after=a&after=b",
            "?status=7&since=-1&application=" + Guid.NewGuid(),
        })
        {
            using var response = await admin.GetAsync(path + query);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}{query} answered {(int)response.StatusCode}");
        }

        // Issue 9 item 3 (ADR 0020): a control character in a query string is the friendly 400 page.
        foreach (var query in new[] { "?after=%00", "?before=x%00y", "?status=%00&user=%00&since=%00&application=%00" })
        {
            using var response = await admin.GetAsync(path + query);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}{query} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Activity_With25Requests_PagesThrough20ThenTheRestAndBack()
    {
        var ids = await AddRequestsAsync(25, "Paging app");
        using var admin = await ConsoleSession.AdminAsync(factory);
        var application = await factory.ApplicationAsync("paging-app");
        var list = $"/t/demo/console/activity?application={application.Id}";

        var first = await admin.GetPageAsync(list);
        var next = NextLink().Match(first);
        Assert.True(next.Success, "no Next link on the first page");
        Assert.DoesNotMatch(PreviousLink(), first);
        Assert.Contains("25 in all", first, StringComparison.Ordinal);
        var second = await admin.GetPageAsync(System.Net.WebUtility.HtmlDecode(next.Groups[1].Value));
        var previous = PreviousLink().Match(second);
        var back = await admin.GetPageAsync(System.Net.WebUtility.HtmlDecode(previous.Groups[1].Value));

        Assert.Equal(ids.Take(20), RequestLinks(first));
        Assert.Equal(ids.Skip(20), RequestLinks(second));
        Assert.DoesNotMatch(NextLink(), second);
        Assert.Equal(ids.Take(20), RequestLinks(back));
    }

    [Fact]
    public async Task Activity_WithMoreThanTheCap_SaysMoreThanInsteadOfCounting()
    {
        await AddRequestsAsync(1001, "Busy app");
        using var admin = await ConsoleSession.AdminAsync(factory);
        var application = await factory.ApplicationAsync("busy-app");

        var page = await admin.GetPageAsync($"/t/demo/console/activity?application={application.Id}");

        Assert.Contains("more than 1,000 in all", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activity_FilteredByStatusAndUser_ShowsOnlyThoseRequests()
    {
        var ids = await AddRequestsAsync(3, "Filter app", approveFirst: true);
        using var admin = await ConsoleSession.AdminAsync(factory);
        var application = await factory.ApplicationAsync("filter-app");

        var approved = await admin.GetPageAsync($"/t/demo/console/activity?application={application.Id}&status=Approved&user=alice&since=1h");
        var nobody = await admin.GetPageAsync($"/t/demo/console/activity?application={application.Id}&user=no-such-person");
        var bob = await admin.GetPageAsync($"/t/demo/console/activity?application={application.Id}&user=bob");

        Assert.Equal([ids[^1]], RequestLinks(approved));
        Assert.Empty(RequestLinks(nobody));
        Assert.Contains("No user of this organization is called", nobody, StringComparison.Ordinal);
        Assert.Empty(RequestLinks(bob));
    }

    [Fact]
    public async Task ActivityDetail_OfAnotherOrganizationsRequestOrUnknownId_Is404()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.GetAsync($"/t/demo/console/activity/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>Adds requests of a new application, one second apart; returns their ids newest first.</summary>
    private async Task<List<Guid>> AddRequestsAsync(int count, string applicationName, bool approveFirst = false)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Handle == "demo");
        var alice = await db.Users.SingleAsync(u => u.UserName == "alice" && u.OrganizationId == organization.Id);
        var now = factory.Time.GetUtcNow();
        var application = ClientApplication.Create(
            organization.Id, applicationName, applicationName.ToLowerInvariant().Replace(' ', '-'), SecretHashing.HashClientSecret("s"), [GrantTypes.Ciba], CibaSettings.Default, now);
        db.Applications.Add(application);
        var requests = Enumerable.Range(0, count).Select(i => BackchannelAuthenticationRequest.Create(
            organization.Id, application.Id, alice.Id, SecretHashing.HashToken(RandomTokens.Create()), SecretHashing.HashToken(RandomTokens.Create()),
            "openid", null, NotificationChannels.External, 3600, 2, now.AddSeconds(i - count))).ToList();
        if (approveFirst)
        {
            requests[0].Approve(alice.Id, now, now);
        }

        db.BackchannelRequests.AddRange(requests);
        await db.SaveChangesAsync();
        return [.. requests.AsEnumerable().Reverse().Select(r => r.Id)];
    }

    private static List<Guid> RequestLinks(string page) =>
        [.. RequestLink().Matches(page).Select(m => Guid.Parse(m.Groups[1].Value))];

    [GeneratedRegex("href=\"/t/demo/console/activity/([0-9a-f-]{36})\"")]
    private static partial Regex RequestLink();

    [GeneratedRegex("href=\"([^\"]+)\" rel=\"next\"")]
    private static partial Regex NextLink();

    [GeneratedRegex("href=\"([^\"]+)\" rel=\"prev\"")]
    private static partial Regex PreviousLink();
}
