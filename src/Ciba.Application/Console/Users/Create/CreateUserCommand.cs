using Ciba.Application.Common.Results;
using FluentValidation;
using MediatR;

namespace Ciba.Application.Console.Users.Create;

/// <summary>An administrator adds a person to the organization.</summary>
public sealed record CreateUserCommand(
    Guid OrganizationId,
    string? UserName,
    string? DisplayName,
    string? Email,
    bool EmailVerified,
    string? Mobile,
    string? Password,
    bool IsAdministrator) : IRequest<Result<Guid>>
{
    public override string ToString() => $"CreateUserCommand {{ OrganizationId = {OrganizationId}, UserName = {UserName} }}";
}

internal sealed class CreateUserValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserValidator()
    {
        RuleFor(c => c.UserName).UserName();
        RuleFor(c => c.DisplayName).OptionalDisplayName();
        RuleFor(c => c.Email).OptionalEmail();
        RuleFor(c => c.Mobile).OptionalMobile();
        RuleFor(c => c.Password).NewPassword();
    }
}

internal sealed class CreateUserHandler(IUserAdministration users) : IRequestHandler<CreateUserCommand, Result<Guid>>
{
    public Task<Result<Guid>> Handle(CreateUserCommand request, CancellationToken cancellationToken) =>
        users.CreateAsync(
            request.OrganizationId,
            UserRules.ToProfile(request.UserName!, request.DisplayName, request.Email, request.EmailVerified, request.Mobile, request.IsAdministrator),
            request.Password!,
            cancellationToken);
}
