using System.Globalization;
using System.Net;
using System.Text;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Protocol;

/// <summary>
/// Issue 9 item 11: the binding message's 64 characters are user-perceived characters (text
/// elements), with a cap of 256 UTF-8 bytes (ADR 0007).
/// </summary>
public sealed class BindingMessageLengthTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    public static TheoryData<string> Accepted => new()
    {
        string.Concat(Enumerable.Repeat("😀", 40)),
        string.Concat(Enumerable.Repeat("👍🏽", 32)),
        new string('a', 64),
        string.Concat(Enumerable.Repeat("確", 64)),
        string.Concat(Enumerable.Repeat("e\u0301", 64)),
        string.Concat(Enumerable.Repeat("🇫🇷", 30)),
    };

    public static TheoryData<string> Refused => new()
    {
        new string('a', 65),
        string.Concat(Enumerable.Repeat("😀", 65)),
        string.Concat(Enumerable.Repeat("確", 65)),

        // 30 text elements, but 25 bytes each: over the byte cap.
        string.Concat(Enumerable.Repeat("👨‍👩‍👧‍👦", 30)),
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Backchannel_UpTo64TextElementsWithin256Bytes_IsAcceptedAndStoredWhole(string message)
    {
        Assert.True(new StringInfo(message).LengthInTextElements <= 64);
        Assert.True(Encoding.UTF8.GetByteCount(message) <= 256);

        var (authReqId, _) = await _client.StartExternalAsync(adjust: form => form["binding_message"] = message);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var hash = Ciba.Application.Common.Security.SecretHashing.HashToken(authReqId);
        var stored = await db.BackchannelRequests.AsNoTracking().SingleAsync(r => r.AuthReqIdHash == hash);
        Assert.Equal(message, stored.BindingMessage);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Backchannel_Over64TextElementsOrOver256Bytes_IsInvalidBindingMessage(string message)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["binding_message"] = message });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_binding_message");
    }

    public void Dispose() => _client.Dispose();
}
