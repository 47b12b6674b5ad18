using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.UpdateNumberMatching;

/// <summary>
/// The Protocol tab's number-matching block (product.md §14): short-code binding messages are shown
/// among two decoys on the consent page. The application's rate limit is left as it is.
/// </summary>
public sealed record UpdateNumberMatchingCommand(Guid OrganizationId, Guid ApplicationId, bool NumberMatching) : IRequest<Result>;

internal sealed class UpdateNumberMatchingHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<UpdateNumberMatchingCommand, Result>
{
    public async Task<Result> Handle(UpdateNumberMatchingCommand request, CancellationToken cancellationToken)
    {
        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        application.SetProtection(request.NumberMatching, application.RateLimitPerMinute, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
