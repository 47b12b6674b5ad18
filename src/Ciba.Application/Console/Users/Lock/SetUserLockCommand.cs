using Ciba.Application.Common.Results;
using FluentValidation;
using MediatR;

namespace Ciba.Application.Console.Users.Lock;

/// <summary>Locks a person out (until unlocked) or unlocks them. Administrators cannot lock themselves out.</summary>
public sealed record SetUserLockCommand(Guid OrganizationId, Guid UserId, Guid ActingUserId, bool Locked) : IRequest<Result>;

internal sealed class SetUserLockValidator : AbstractValidator<SetUserLockCommand>
{
    public SetUserLockValidator()
    {
        RuleFor(c => c.Locked)
            .Must((command, locked) => !locked || command.UserId != command.ActingUserId)
            .WithMessage("You cannot lock yourself out.");
    }
}

internal sealed class SetUserLockHandler(IUserAdministration users) : IRequestHandler<SetUserLockCommand, Result>
{
    public Task<Result> Handle(SetUserLockCommand request, CancellationToken cancellationToken) =>
        users.SetLockedAsync(request.OrganizationId, request.UserId, request.Locked, cancellationToken);
}
