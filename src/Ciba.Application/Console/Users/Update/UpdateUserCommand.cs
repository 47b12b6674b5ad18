using Ciba.Application.Common.Results;
using FluentValidation;
using MediatR;

namespace Ciba.Application.Console.Users.Update;

/// <summary>
/// An administrator edits a person. <paramref name="ActingUserId"/> is the administrator: they
/// cannot take the Administrator role from themselves.
/// </summary>
public sealed record UpdateUserCommand(
    Guid OrganizationId,
    Guid UserId,
    Guid ActingUserId,
    string? UserName,
    string? DisplayName,
    string? Email,
    bool EmailVerified,
    string? Mobile,
    bool IsAdministrator) : IRequest<Result>;

internal sealed class UpdateUserValidator : AbstractValidator<UpdateUserCommand>
{
    public UpdateUserValidator()
    {
        RuleFor(c => c.UserName).UserName();
        RuleFor(c => c.DisplayName).OptionalDisplayName();
        RuleFor(c => c.Email).OptionalEmail();
        RuleFor(c => c.Mobile).OptionalMobile();
        RuleFor(c => c.IsAdministrator)
            .Must((command, isAdministrator) => isAdministrator || command.UserId != command.ActingUserId)
            .WithMessage("You cannot remove the Administrator role from yourself.");
    }
}

internal sealed class UpdateUserHandler(IUserAdministration users) : IRequestHandler<UpdateUserCommand, Result>
{
    public Task<Result> Handle(UpdateUserCommand request, CancellationToken cancellationToken) =>
        users.UpdateAsync(
            request.OrganizationId,
            request.UserId,
            UserRules.ToProfile(request.UserName!, request.DisplayName, request.Email, request.EmailVerified, request.Mobile, request.IsAdministrator),
            cancellationToken);
}
