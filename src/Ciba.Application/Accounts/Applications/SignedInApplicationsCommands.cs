using Ciba.Application.Audit;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Tokens.Refresh;
using Ciba.Domain.Audit;
using MediatR;

namespace Ciba.Application.Accounts.Applications;

/// <summary>The applications that hold a refresh token for a person (product.md §13, issue 13 item 5).</summary>
public sealed record ListSignedInApplicationsQuery(Guid OrganizationId, Guid UserId) : IRequest<IReadOnlyList<SignedInApplication>>;

/// <summary>Signs an application out for a person: every refresh token it holds for them is revoked.</summary>
/// <param name="AdministratorName">The administrator who signed it out from the console; null when the person did, on their account page.</param>
public sealed record SignOutApplicationCommand(Guid OrganizationId, Guid UserId, Guid ApplicationId, string? AdministratorName = null) : IRequest<Result>;

internal sealed class SignedInApplicationsHandlers(RefreshTokens refreshTokens, IUserDirectory users, TimeProvider time) :
    IRequestHandler<ListSignedInApplicationsQuery, IReadOnlyList<SignedInApplication>>,
    IRequestHandler<SignOutApplicationCommand, Result>
{
    public Task<IReadOnlyList<SignedInApplication>> Handle(ListSignedInApplicationsQuery request, CancellationToken cancellationToken) =>
        refreshTokens.ListForUserAsync(request.OrganizationId, request.UserId, time.GetUtcNow(), cancellationToken);

    public async Task<Result> Handle(SignOutApplicationCommand request, CancellationToken cancellationToken)
    {
        var byAdministrator = request.AdministratorName is not null;
        var actor = request.AdministratorName ?? (await users.FindByIdAsync(request.OrganizationId, request.UserId, cancellationToken))?.UserName;
        var audit = new AuditRecord(
            request.OrganizationId, AuditActions.TokenRevoked, AuditOutcome.Succeeded, byAdministrator ? AuditActorKind.Administrator : AuditActorKind.User, actor,
            request.UserId, request.ApplicationId, "refresh_token", "The application was signed out: its refresh and access tokens were revoked.");
        await refreshTokens.RevokeForUserAsync(request.OrganizationId, request.UserId, request.ApplicationId, time.GetUtcNow(), audit, cancellationToken);
        return Result.Success;
    }
}
