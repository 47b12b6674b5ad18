using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Console.Organizations;
using Ciba.Application.Console.Organizations.Create;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Infrastructure.Organizations;

/// <summary>
/// Creates the organization and its first administrator in one database transaction, in a scope of
/// its own: the caller's scope has entered the caller's organization, and Identity's uniqueness
/// checks must look inside the new one.
/// </summary>
public sealed class OrganizationProvisioning(IServiceScopeFactory scopes, TimeProvider time) : IOrganizationProvisioning
{
    public async Task<Result<OrganizationSummary>> CreateAsync(NewOrganization organization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organization);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<CibaDbContext>();
        if (await db.Organizations.AnyAsync(o => o.Handle == organization.Handle, cancellationToken))
        {
            return HandleTaken();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = Organization.Create(organization.Handle, organization.Name, time.GetUtcNow());
        db.Organizations.Add(created);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return HandleTaken();
        }

        services.GetRequiredService<IOrganizationContext>().Enter(created.Id, created.Handle);
        var users = services.GetRequiredService<UserManager<CibaUser>>();
        var roles = services.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        var administrator = new CibaUser
        {
            OrganizationId = created.Id,
            UserName = organization.AdminUserName,
            Email = organization.AdminEmail,
            EmailConfirmed = true,
        };
        var result = await users.CreateAsync(administrator, organization.AdminPassword);
        if (!result.Succeeded)
        {
            return Error.Validation(result.Errors.Select(e => new FieldError(FieldOf(e.Code), e.Description)).ToList());
        }

        if (!await roles.RoleExistsAsync(Roles.Administrator))
        {
            await roles.CreateAsync(new IdentityRole<Guid>(Roles.Administrator));
        }

        var role = await users.AddToRoleAsync(administrator, Roles.Administrator);
        if (!role.Succeeded)
        {
            throw new InvalidOperationException("The Administrator role could not be given: " + string.Join("; ", role.Errors.Select(e => e.Code)));
        }

        await transaction.CommitAsync(cancellationToken);
        return new OrganizationSummary(created.Id, created.Handle, created.Name);
    }

    private static Error HandleTaken() =>
        Error.Validation([new FieldError(nameof(CreateOrganizationCommand.Handle), "That handle is taken.")]);

    private static string FieldOf(string identityErrorCode) => identityErrorCode switch
    {
        _ when identityErrorCode.StartsWith("Password", StringComparison.Ordinal) => nameof(CreateOrganizationCommand.AdminPassword),
        _ when identityErrorCode.Contains("UserName", StringComparison.Ordinal) => nameof(CreateOrganizationCommand.AdminUserName),
        _ when identityErrorCode.Contains("Email", StringComparison.Ordinal) => nameof(CreateOrganizationCommand.AdminEmail),
        _ => string.Empty,
    };
}
