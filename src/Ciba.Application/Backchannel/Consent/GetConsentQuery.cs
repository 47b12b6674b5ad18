using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Domain.Backchannel;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Backchannel.Consent;

/// <summary>
/// What the person who opened a link is asked to approve (product.md §5). Fails with
/// <see cref="ErrorCodes.NotFound"/>, <see cref="ErrorCodes.LinkExpired"/> or
/// <see cref="ErrorCodes.AlreadyDecided"/> when the link can no longer be used.
/// </summary>
/// <param name="LinkKey">The raw <c>authCodeKey</c> from the link.</param>
public sealed record GetConsentQuery(Guid OrganizationId, string? LinkKey) : IRequest<Result<ConsentDetails>>
{
    public override string ToString() => $"GetConsentQuery {{ OrganizationId = {OrganizationId} }}";
}

/// <param name="UserId">The person the request names; only they may decide.</param>
/// <param name="Scopes">The requested scopes in request order, without duplicates.</param>
public sealed record ConsentDetails(
    string ApplicationName,
    string? BindingMessage,
    IReadOnlyList<string> Scopes,
    TimeSpan TimeLeft,
    Guid UserId)
{
    /// <summary>When the application made the request (product.md §14).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>How the request reached the person.</summary>
    public Domain.Applications.NotificationChannels Channels { get; init; }

    /// <summary>The application has number matching on (product.md §14); it applies only to a short-code binding message.</summary>
    public bool NumberMatching { get; init; }

    /// <summary>The application's minimum level when the request was made (product.md §16); null when none.</summary>
    public string? MinimumAcr { get; init; }

    /// <summary>The request's supported <c>acr_values</c> in order of preference.</summary>
    public IReadOnlyList<string> RequestedAcrValues { get; init; } = [];
}

internal sealed class GetConsentQueryHandler(IApplicationDbContext db, TimeProvider time)
    : IRequestHandler<GetConsentQuery, Result<ConsentDetails>>
{
    private const int MaxLinkKeyLength = 256;

    public async Task<Result<ConsentDetails>> Handle(GetConsentQuery request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.LinkKey) || request.LinkKey.Length > MaxLinkKeyLength)
        {
            return Error.NotFound("The request");
        }

        var hash = SecretHashing.HashToken(request.LinkKey);
        var found = await (
                from r in db.BackchannelRequests.AsNoTracking()
                join a in db.Applications.AsNoTracking() on r.ApplicationId equals a.Id
                where r.OrganizationId == request.OrganizationId && r.LinkKeyHash == hash
                select new { AuthRequest = r, ApplicationName = a.Name, a.NumberMatching })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Error.NotFound("The request");
        }

        var now = time.GetUtcNow();
        var authRequest = found.AuthRequest;
        if (authRequest.Status != BackchannelRequestStatus.Pending)
        {
            return new Error(ErrorCodes.AlreadyDecided, "The request was already decided.");
        }

        if (!authRequest.IsAwaitingDecision(now))
        {
            return new Error(ErrorCodes.LinkExpired, "The request has expired.");
        }

        return new ConsentDetails(
            found.ApplicationName,
            string.IsNullOrWhiteSpace(authRequest.BindingMessage) ? null : authRequest.BindingMessage,
            authRequest.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList(),
            authRequest.TimeLeft(now),
            authRequest.UserId)
        {
            CreatedAt = authRequest.CreatedAt,
            Channels = authRequest.Channels,
            NumberMatching = found.NumberMatching,
            MinimumAcr = authRequest.MinimumAcr,
            RequestedAcrValues = authRequest.RequestedAcrList,
        };
    }
}
