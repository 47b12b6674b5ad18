using System.Globalization;
using System.Net;
using Ciba.Application.Audit;
using Ciba.Application.Common.Results;
using Ciba.Domain.Audit;
using FluentValidation;
using MediatR;

namespace Ciba.Application.Accounts.SignIn;

/// <summary>A person signs in to an organization with a username or email and a password.</summary>
/// <param name="ClientAddress">Where the attempt comes from (after the trusted proxies), for the throttle.</param>
public sealed record SignInCommand(Guid OrganizationId, string? Login, string? Password, IPAddress? ClientAddress = null) : IRequest<Result<SignInOutcome>>
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

/// <summary>
/// Throttles first (per login and address, ADR 0012), then checks the password: the same answer
/// for an unknown login, a wrong password and a locked account.
/// </summary>
internal sealed class SignInCommandHandler(IAccountSignIn signIn, ISignInThrottle throttle, IAuditTrail audit, TimeProvider time) : IRequestHandler<SignInCommand, Result<SignInOutcome>>
{
    public async Task<Result<SignInOutcome>> Handle(SignInCommand request, CancellationToken cancellationToken)
    {
        var login = request.Login!.Trim();
        var loginKey = SignInBackoff.LoginKey(login);
        var addressKey = SignInBackoff.AddressKey(request.ClientAddress);
        var wait = await throttle.TryBeginAttemptAsync(request.OrganizationId, loginKey, addressKey, time.GetUtcNow(), cancellationToken);
        if (wait is { } left)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
            await audit.RecordNowAsync(
                new AuditRecord(request.OrganizationId, AuditActions.SignInFailed, AuditOutcome.Refused, AuditActorKind.User, null, Detail: "Too many attempts: throttled."),
                cancellationToken);
            return new Error(
                SignInErrors.TryLater,
                string.Create(CultureInfo.InvariantCulture, $"Too many attempts. Wait {seconds} {(seconds == 1 ? "second" : "seconds")}, then try again."));
        }

        var outcome = await signIn.PasswordSignInAsync(request.OrganizationId, login, request.Password!, cancellationToken);
        if (outcome == SignInOutcome.Failed)
        {
            return new Error(SignInErrors.InvalidCredentials, "The username or password is not right.");
        }

        await throttle.ClearAsync(request.OrganizationId, loginKey, addressKey, cancellationToken);
        return outcome;
    }
}

public static class SignInErrors
{
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>Too many attempts for this login from this address: the wait is not over.</summary>
    public const string TryLater = "try_later";
}
