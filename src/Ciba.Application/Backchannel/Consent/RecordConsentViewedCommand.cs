using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Domain.Backchannel;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Backchannel.Consent;

/// <summary>
/// Notes the first time the person a pending request names sees its consent page (the console's
/// timeline shows it). One conditional UPDATE; later views change nothing.
/// </summary>
/// <param name="LinkKey">The raw <c>authCodeKey</c> from the link.</param>
public sealed record RecordConsentViewedCommand(Guid OrganizationId, string LinkKey, Guid UserId) : IRequest<Result>
{
    public override string ToString() => $"RecordConsentViewedCommand {{ OrganizationId = {OrganizationId} }}";
}

internal sealed class RecordConsentViewedHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<RecordConsentViewedCommand, Result>
{
    public async Task<Result> Handle(RecordConsentViewedCommand request, CancellationToken cancellationToken)
    {
        var hash = SecretHashing.HashToken(request.LinkKey);
        var now = time.GetUtcNow();
        await db.BackchannelRequests
            .Where(r => r.OrganizationId == request.OrganizationId && r.LinkKeyHash == hash && r.UserId == request.UserId
                && r.Status == BackchannelRequestStatus.Pending && r.ViewedAt == null)
            .ExecuteUpdateAsync(update => update.SetProperty(r => r.ViewedAt, now), cancellationToken);
        return Result.Success;
    }
}
