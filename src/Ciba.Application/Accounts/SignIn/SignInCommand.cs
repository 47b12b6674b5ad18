using Ciba.Application.Common.Results;
using FluentValidation;
using MediatR;

namespace Ciba.Application.Accounts.SignIn;

/// <summary>A person signs in to an organization with a username or email and a password.</summary>
public sealed record SignInCommand(Guid OrganizationId, string? Login, string? Password) : IRequest<Result>
{
    public override string ToString() => $"SignInCommand {{ OrganizationId = {OrganizationId} }}";
}

internal sealed class SignInCommandValidator : AbstractValidator<SignInCommand>
{
    public SignInCommandValidator()
    {
        RuleFor(c => c.Login).NotEmpty().WithMessage("Enter your username or email.").MaximumLength(256);
        RuleFor(c => c.Password).NotEmpty().WithMessage("Enter your password.").MaximumLength(256);
    }
}

internal sealed class SignInCommandHandler(IAccountSignIn signIn) : IRequestHandler<SignInCommand, Result>
{
    public async Task<Result> Handle(SignInCommand request, CancellationToken cancellationToken)
    {
        var outcome = await signIn.PasswordSignInAsync(request.OrganizationId, request.Login!.Trim(), request.Password!, cancellationToken);
        return outcome switch
        {
            SignInOutcome.SignedIn => Result.Success,
            SignInOutcome.LockedOut => new Error(SignInErrors.LockedOut, "Too many failed attempts. Try again in 15 minutes."),
            _ => new Error(SignInErrors.InvalidCredentials, "The username or password is not right."),
        };
    }
}

public static class SignInErrors
{
    public const string InvalidCredentials = "invalid_credentials";
    public const string LockedOut = "locked_out";
}
