using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Notifications;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Activity;

/// <summary>One auth request of the organization and what happened to it, in order (the Activity detail page).</summary>
public sealed record GetAuthRequestActivityQuery(Guid OrganizationId, Guid RequestId) : IRequest<Result<AuthRequestTimeline>>;

/// <param name="Scopes">The scopes asked for, as requested.</param>
public sealed record AuthRequestTimeline(
    Guid Id,
    string ApplicationName,
    string UserName,
    IReadOnlyList<string> Scopes,
    NotificationChannels Channels,
    AuthRequestState Status,
    IReadOnlyList<TimelineEvent> Events);

/// <summary>Something that happened to a request: when, what, and details in words (recipients masked).</summary>
public sealed record TimelineEvent(DateTimeOffset At, string What, string? Details = null);

internal sealed class GetAuthRequestActivityHandler(IApplicationDbContext db, IUserDirectory users, TimeProvider time)
    : IRequestHandler<GetAuthRequestActivityQuery, Result<AuthRequestTimeline>>
{
    public async Task<Result<AuthRequestTimeline>> Handle(GetAuthRequestActivityQuery request, CancellationToken cancellationToken)
    {
        var found = await (
                from r in db.BackchannelRequests.AsNoTracking()
                join a in db.Applications.AsNoTracking() on r.ApplicationId equals a.Id
                where r.OrganizationId == request.OrganizationId && r.Id == request.RequestId
                select new { AuthRequest = r, ApplicationName = a.Name })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Error.NotFound("The request");
        }

        var authRequest = found.AuthRequest;
        var messages = await db.OutgoingMessages.AsNoTracking()
            .Where(m => m.OrganizationId == request.OrganizationId && m.BackchannelRequestId == authRequest.Id)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
        var user = await users.FindByIdAsync(request.OrganizationId, authRequest.UserId, cancellationToken);
        var now = time.GetUtcNow();
        var events = new List<TimelineEvent> { new(authRequest.CreatedAt, "Created", $"expires {Moment(authRequest.ExpiresAt)}") };
        foreach (var message in messages)
        {
            events.AddRange(DeliveryEvents(message));
        }

        if (authRequest.ViewedAt is { } viewedAt)
        {
            events.Add(new(viewedAt, "Viewed", "the person opened the consent page"));
        }

        if (authRequest.DecidedAt is { } decidedAt)
        {
            events.Add(new(decidedAt, authRequest.Status == BackchannelRequestStatus.Denied ? "Denied" : "Approved"));
        }
        else if (authRequest.IsExpired(now))
        {
            events.Add(new(authRequest.ExpiresAt, "Expired", "nobody approved or denied it in time"));
        }

        if (authRequest.RedeemedAt is { } redeemedAt)
        {
            events.Add(new(redeemedAt, "Redeemed", "the client received its tokens"));
        }

        return new AuthRequestTimeline(
            authRequest.Id,
            found.ApplicationName,
            user?.UserName ?? "(deleted user)",
            authRequest.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            authRequest.Channels,
            ListAuthRequestsHandler.StateOf(authRequest, now),
            [.. events.OrderBy(e => e.At)]);
    }

    private static IEnumerable<TimelineEvent> DeliveryEvents(OutgoingMessage message)
    {
        var channel = message.Channel == MessageChannel.Sms ? "SMS" : "Email";
        var to = RecipientMasking.Mask(message.Channel, message.Recipient);
        yield return new(message.CreatedAt, $"{channel} queued", $"to {to}");
        var attempts = message.Attempts == 1 ? "1 attempt" : $"{message.Attempts} attempts";
        var error = message.LastError is null ? string.Empty : $"; last error: {message.LastError}";
        if (message.CompletedAt is { } completedAt)
        {
            yield return new(completedAt, $"{channel} {message.Status.ToString().ToLowerInvariant()}", $"to {to} after {attempts}{error}");
        }
        else if (message.Attempts > 0)
        {
            yield return new(message.NextAttemptAt, $"{channel} retry due", $"to {to}; {attempts} so far{error}");
        }
    }

    private static string Moment(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
