using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.UpdateGeneral;

/// <summary>The General tab: an application's name and description.</summary>
public sealed record UpdateApplicationGeneralCommand(Guid OrganizationId, Guid ApplicationId, string? Name, string? Description) : IRequest<Result>;

internal sealed class UpdateApplicationGeneralValidator : AbstractValidator<UpdateApplicationGeneralCommand>
{
    public UpdateApplicationGeneralValidator()
    {
        RuleFor(c => c.Name).ApplicationName();
        RuleFor(c => c.Description).ApplicationDescription();
    }
}

internal sealed class UpdateApplicationGeneralHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<UpdateApplicationGeneralCommand, Result>
{
    public async Task<Result> Handle(UpdateApplicationGeneralCommand request, CancellationToken cancellationToken)
    {
        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        application.UpdateGeneral(request.Name!, request.Description, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
