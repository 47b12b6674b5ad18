using Ciba.Application.Common.Results;
using Ciba.Application.Tokens.Refresh;
using MediatR;

namespace Ciba.Application.Accounts.Applications;

/// <summary>The applications that hold a refresh token for a person (product.md §13, issue 13 item 5).</summary>
public sealed record ListSignedInApplicationsQuery(Guid OrganizationId, Guid UserId) : IRequest<IReadOnlyList<SignedInApplication>>;

/// <summary>Signs an application out for a person: every refresh token it holds for them is revoked.</summary>
public sealed record SignOutApplicationCommand(Guid OrganizationId, Guid UserId, Guid ApplicationId) : IRequest<Result>;

internal sealed class SignedInApplicationsHandlers(RefreshTokens refreshTokens, TimeProvider time) :
    IRequestHandler<ListSignedInApplicationsQuery, IReadOnlyList<SignedInApplication>>,
    IRequestHandler<SignOutApplicationCommand, Result>
{
    public Task<IReadOnlyList<SignedInApplication>> Handle(ListSignedInApplicationsQuery request, CancellationToken cancellationToken) =>
        refreshTokens.ListForUserAsync(request.OrganizationId, request.UserId, time.GetUtcNow(), cancellationToken);

    public async Task<Result> Handle(SignOutApplicationCommand request, CancellationToken cancellationToken)
    {
        await refreshTokens.RevokeForUserAsync(request.OrganizationId, request.UserId, request.ApplicationId, time.GetUtcNow(), cancellationToken);
        return Result.Success;
    }
}
