using Ciba.Application.Common.Results;
using FluentValidation;
using MediatR;

namespace Ciba.Application.Console.Users.ResetPassword;

/// <summary>An administrator sets a new password for a person.</summary>
public sealed record ResetUserPasswordCommand(Guid OrganizationId, Guid UserId, string? Password) : IRequest<Result>
{
    public override string ToString() => $"ResetUserPasswordCommand {{ OrganizationId = {OrganizationId}, UserId = {UserId} }}";
}

internal sealed class ResetUserPasswordValidator : AbstractValidator<ResetUserPasswordCommand>
{
    public ResetUserPasswordValidator()
    {
        RuleFor(c => c.Password).NewPassword();
    }
}

internal sealed class ResetUserPasswordHandler(IUserAdministration users) : IRequestHandler<ResetUserPasswordCommand, Result>
{
    public Task<Result> Handle(ResetUserPasswordCommand request, CancellationToken cancellationToken) =>
        users.ResetPasswordAsync(request.OrganizationId, request.UserId, request.Password!, cancellationToken);
}
