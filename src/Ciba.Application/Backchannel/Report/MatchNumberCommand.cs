using Ciba.Application.Backchannel.Decide;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Security;
using Ciba.Domain.Protection;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Backchannel.Report;

/// <summary>
/// product.md §14 number matching: the person tapped <paramref name="Chosen"/> among the code and
/// two decoys. The pick is checked here against the stored binding message: the right one approves,
/// any other value (a decoy or a forged one) denies and reports with <see cref="ReportReason.WrongNumber"/>.
/// The value is true when the request was approved, false when it was denied and reported.
/// </summary>
public sealed record MatchNumberCommand(Guid OrganizationId, string LinkKey, Guid UserId, DateTimeOffset AuthenticatedAt, string? Chosen)
    : IRequest<Result<bool>>
{
    public override string ToString() => $"MatchNumberCommand {{ OrganizationId = {OrganizationId}, UserId = {UserId} }}";

    /// <summary>The session's <c>amr</c> values, for the approval (product.md §16).</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];
}

/// <summary>Whether number matching governs the request behind a link; the approve path asks this too.</summary>
internal static class NumberMatchLookup
{
    public static async Task<(bool Applies, string? Code)> FindAsync(IApplicationDbContext db, Guid organizationId, string linkKey, CancellationToken cancellationToken)
    {
        var hash = SecretHashing.HashToken(linkKey);
        var found = await (
                from r in db.BackchannelRequests.AsNoTracking()
                join a in db.Applications.AsNoTracking() on r.ApplicationId equals a.Id
                where r.OrganizationId == organizationId && r.LinkKeyHash == hash
                select new { a.NumberMatching, r.BindingMessage })
            .SingleOrDefaultAsync(cancellationToken);
        return found is not null && NumberMatch.Applies(found.NumberMatching, found.BindingMessage)
            ? (true, found.BindingMessage)
            : (false, null);
    }
}

internal sealed class MatchNumberHandler(IApplicationDbContext db, IMediator mediator)
    : IRequestHandler<MatchNumberCommand, Result<bool>>
{
    public async Task<Result<bool>> Handle(MatchNumberCommand request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.LinkKey))
        {
            return Error.NotFound("The request");
        }

        var (applies, code) = await NumberMatchLookup.FindAsync(db, request.OrganizationId, request.LinkKey, cancellationToken);
        if (!applies)
        {
            return new Error(ErrorCodes.Forbidden, "Number matching does not apply to this request.");
        }

        var approve = NumberMatch.IsMatch(code!, request.Chosen);
        var result = approve
            ? await mediator.Send(new ApproveBackchannelRequestCommand(request.OrganizationId, request.LinkKey, request.UserId, request.AuthenticatedAt)
                {
                    NumberMatched = true,
                    AuthenticationMethods = request.AuthenticationMethods,
                }, cancellationToken)
            : await mediator.Send(new ReportBackchannelRequestCommand(request.OrganizationId, request.LinkKey, request.UserId, ReportReason.WrongNumber), cancellationToken);
        return result.IsSuccess ? Result<bool>.Success(approve) : Result<bool>.Failure(result.Error!);
    }
}
