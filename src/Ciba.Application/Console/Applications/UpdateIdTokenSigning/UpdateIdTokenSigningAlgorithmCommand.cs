using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.UpdateIdTokenSigning;

/// <summary>
/// The Protocol tab's ID token block (product.md §10, ADR 0023): the algorithm the application's ID
/// tokens are signed with. The value arrives as typed; anything but RS256, PS256 or ES256 is a field error.
/// </summary>
public sealed record UpdateIdTokenSigningAlgorithmCommand(Guid OrganizationId, Guid ApplicationId, string? IdTokenSigningAlgorithm) : IRequest<Result>;

internal sealed class UpdateIdTokenSigningAlgorithmValidator : AbstractValidator<UpdateIdTokenSigningAlgorithmCommand>
{
    public UpdateIdTokenSigningAlgorithmValidator() =>
        RuleFor(c => c.IdTokenSigningAlgorithm)
            .Must(SigningAlgorithms.IsSupported)
            .WithMessage($"Choose {string.Join(", ", SigningAlgorithms.All)}.");
}

internal sealed class UpdateIdTokenSigningAlgorithmHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<UpdateIdTokenSigningAlgorithmCommand, Result>
{
    public async Task<Result> Handle(UpdateIdTokenSigningAlgorithmCommand request, CancellationToken cancellationToken)
    {
        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        application.ChangeIdTokenSigningAlgorithm(request.IdTokenSigningAlgorithm!, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
