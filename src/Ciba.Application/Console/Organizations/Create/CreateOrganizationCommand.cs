using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Console.Users;
using Ciba.Domain.Organizations;
using FluentValidation;
using MediatR;

namespace Ciba.Application.Console.Organizations.Create;

/// <summary>A system administrator creates an organization and its first administrator.</summary>
public sealed record CreateOrganizationCommand(
    string? Handle,
    string? Name,
    string? AdminUserName,
    string? AdminEmail,
    string? AdminPassword) : IRequest<Result<OrganizationSummary>>
{
    public override string ToString() => $"CreateOrganizationCommand {{ Handle = {Handle} }}";
}

internal sealed class CreateOrganizationValidator : AbstractValidator<CreateOrganizationCommand>
{
    public CreateOrganizationValidator()
    {
        RuleFor(c => c.Handle)
            .Must(handle => Organization.IsValidHandle(handle?.Trim()))
            .WithMessage("A handle is 2 to 32 lowercase letters, digits or hyphens, starting and ending with a letter or digit.");
        RuleFor(c => c.Name)
            .Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Enter a name.")
            .Must(name => name is null || name.Trim().Length <= Organization.MaxNameLength)
            .WithMessage($"The name is at most {Organization.MaxNameLength} characters.");
        RuleFor(c => c.AdminUserName).UserName();
        RuleFor(c => c.AdminEmail)
            .Must(email => !string.IsNullOrWhiteSpace(email)).WithMessage("Enter the administrator's email address.")
            .OptionalEmail();
        RuleFor(c => c.AdminPassword).NewPassword();
    }
}

internal sealed class CreateOrganizationHandler(IOrganizationProvisioning provisioning) : IRequestHandler<CreateOrganizationCommand, Result<OrganizationSummary>>
{
    public Task<Result<OrganizationSummary>> Handle(CreateOrganizationCommand request, CancellationToken cancellationToken) =>
        provisioning.CreateAsync(
            new NewOrganization(request.Handle!.Trim(), request.Name!.Trim(), request.AdminUserName!.Trim(), request.AdminEmail!.Trim(), request.AdminPassword!),
            cancellationToken);
}
