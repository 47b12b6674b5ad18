using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;

namespace Ciba.Application.Backchannel.Decide;

/// <summary>The person behind the link approves the request (product.md §5.4).</summary>
/// <param name="LinkKey">The raw <c>authCodeKey</c> from the link.</param>
/// <param name="AuthenticatedAt">When the person signed in (becomes the ID token's <c>auth_time</c>).</param>
public sealed record ApproveBackchannelRequestCommand(Guid OrganizationId, string LinkKey, Guid UserId, DateTimeOffset AuthenticatedAt)
    : IRequest<Result>
{
    /// <summary>Set only by the number-matching pick; without it a request under number matching is not approved (product.md §14).</summary>
    public bool NumberMatched { get; init; }

    /// <summary>The session's <c>amr</c> values (product.md §16); none is read as a password sign-in.</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];
}

internal sealed class ApproveBackchannelRequestHandler(BackchannelDecisions decisions, IUserDirectory users, IApplicationDbContext db, TimeProvider time)
    : IRequestHandler<ApproveBackchannelRequestCommand, Result>
{
    public async Task<Result> Handle(ApproveBackchannelRequestCommand request, CancellationToken cancellationToken)
    {
        // A session may outlive a lock by up to a minute (ADR 0012); the approval itself checks.
        var user = await users.FindByIdAsync(request.OrganizationId, request.UserId, cancellationToken);
        if (user is null || user.IsLockedAt(time.GetUtcNow()))
        {
            return new Error(ErrorCodes.AccountLocked, "The account is locked.");
        }

        if (!request.NumberMatched && !string.IsNullOrEmpty(request.LinkKey)
            && (await Report.NumberMatchLookup.FindAsync(db, request.OrganizationId, request.LinkKey, cancellationToken)).Applies)
        {
            return new Error(ErrorCodes.Forbidden, "This request must be approved by picking the matching code.");
        }

        return await decisions.DecideAsync(
            request.OrganizationId,
            request.LinkKey,
            authRequest => authRequest.Approve(request.UserId, request.AuthenticatedAt, Methods(request), time.GetUtcNow()),
            cancellationToken);
    }

    private static IReadOnlyList<string> Methods(ApproveBackchannelRequestCommand request) =>
        request.AuthenticationMethods.Count == 0 ? [Domain.Authentication.AuthenticationMethods.Password] : request.AuthenticationMethods;
}
