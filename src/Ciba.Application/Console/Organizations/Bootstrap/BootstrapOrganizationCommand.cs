using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Console.Organizations.Create;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Organizations.Bootstrap;

/// <summary>
/// An operator's first run (product.md §15): the first organization and its administrator, without
/// the Development seed. Running it again with the same organization and administrator changes
/// nothing (the password is not reset); an existing organization is never changed.
/// </summary>
public sealed record BootstrapOrganizationCommand(CreateOrganizationCommand Organization) : IRequest<Result<BootstrapOutcome>>;

public enum BootstrapOutcome
{
    /// <summary>The organization and its administrator were created now.</summary>
    Created,

    /// <summary>The organization already exists with that administrator; nothing was changed.</summary>
    AlreadyInPlace,
}

internal sealed class BootstrapOrganizationValidator : AbstractValidator<BootstrapOrganizationCommand>
{
    public BootstrapOrganizationValidator()
    {
        RuleFor(c => c.Organization).NotNull().SetValidator(new CreateOrganizationValidator());
    }
}

internal sealed class BootstrapOrganizationHandler(
    IApplicationDbContext db,
    IUserDirectory users,
    IOrganizationProvisioning provisioning) : IRequestHandler<BootstrapOrganizationCommand, Result<BootstrapOutcome>>
{
    public async Task<Result<BootstrapOutcome>> Handle(BootstrapOrganizationCommand request, CancellationToken cancellationToken)
    {
        var wanted = request.Organization;
        var handle = wanted.Handle!.Trim();
        var adminUserName = wanted.AdminUserName!.Trim();
        var existing = await db.Organizations.AsNoTracking()
            .Where(o => o.Handle == handle)
            .Select(o => new { o.Id })
            .SingleOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            var admin = await users.FindByLoginHintAsync(existing.Id, adminUserName, cancellationToken);
            return admin is not null && string.Equals(admin.UserName, adminUserName, StringComparison.OrdinalIgnoreCase)
                ? BootstrapOutcome.AlreadyInPlace
                : new Error(ErrorCodes.Conflict, $"The organization '{handle}' already exists without an administrator named '{adminUserName}'; bootstrap never changes an existing organization.");
        }

        var created = await provisioning.CreateAsync(
            new NewOrganization(handle, wanted.Name!.Trim(), adminUserName, wanted.AdminEmail!.Trim(), wanted.AdminPassword!),
            cancellationToken);
        return created.IsSuccess ? BootstrapOutcome.Created : created.Error;
    }
}
