using Ciba.Application.Common.Results;
using MediatR;

namespace Ciba.Application.Backchannel.Decide;

/// <summary>The person behind the link denies the request; the token endpoint then answers <c>access_denied</c>.</summary>
public sealed record DenyBackchannelRequestCommand(Guid OrganizationId, string LinkKey, Guid UserId) : IRequest<Result>;

internal sealed class DenyBackchannelRequestHandler(BackchannelDecisions decisions, TimeProvider time)
    : IRequestHandler<DenyBackchannelRequestCommand, Result>
{
    public Task<Result> Handle(DenyBackchannelRequestCommand request, CancellationToken cancellationToken) =>
        decisions.DecideAsync(
            request.OrganizationId,
            request.LinkKey,
            authRequest => authRequest.Deny(request.UserId, time.GetUtcNow()),
            cancellationToken);
}
