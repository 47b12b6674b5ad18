using Ciba.Application.Common.Results;
using MediatR;

namespace Ciba.Application.Backchannel.Decide;

/// <summary>The person behind the link approves the request (product.md §5.4).</summary>
/// <param name="LinkKey">The raw <c>authCodeKey</c> from the link.</param>
/// <param name="AuthenticatedAt">When the person signed in (becomes the ID token's <c>auth_time</c>).</param>
public sealed record ApproveBackchannelRequestCommand(Guid OrganizationId, string LinkKey, Guid UserId, DateTimeOffset AuthenticatedAt)
    : IRequest<Result>;

internal sealed class ApproveBackchannelRequestHandler(BackchannelDecisions decisions, TimeProvider time)
    : IRequestHandler<ApproveBackchannelRequestCommand, Result>
{
    public Task<Result> Handle(ApproveBackchannelRequestCommand request, CancellationToken cancellationToken) =>
        decisions.DecideAsync(
            request.OrganizationId,
            request.LinkKey,
            authRequest => authRequest.Approve(request.UserId, request.AuthenticatedAt, time.GetUtcNow()),
            cancellationToken);
}
