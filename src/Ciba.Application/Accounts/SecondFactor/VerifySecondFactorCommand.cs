using System.Globalization;
using System.Net;
using Ciba.Application.Accounts.SignIn;
using Ciba.Application.Audit;
using Ciba.Application.Common.Results;
using Ciba.Domain.Audit;
using FluentValidation;
using MediatR;

namespace Ciba.Application.Accounts.SecondFactor;

/// <summary>A person types the code of their authenticator app, or one of their recovery codes.</summary>
public sealed record VerifySecondFactorCommand(Guid OrganizationId, string? Code, bool RecoveryCode, IPAddress? ClientAddress = null) : IRequest<Result>
{
    public override string ToString() => $"VerifySecondFactorCommand {{ OrganizationId = {OrganizationId}, RecoveryCode = {RecoveryCode} }}";
}

internal sealed class VerifySecondFactorCommandValidator : AbstractValidator<VerifySecondFactorCommand>
{
    public VerifySecondFactorCommandValidator()
    {
        RuleFor(c => c.Code).NotEmpty().WithMessage(c => c.RecoveryCode ? "Enter a recovery code." : "Enter the code from your authenticator app.").MaximumLength(64);
    }
}

/// <summary>
/// Throttled like the password step (ADR 0012), but per person whatever the address: whoever gets
/// here already knows the password, so the code is all that is left to guess (ADR 0029).
/// </summary>
internal sealed class VerifySecondFactorCommandHandler(ISecondFactorSignIn secondFactor, ISignInThrottle throttle, IAuditTrail audit, TimeProvider time)
    : IRequestHandler<VerifySecondFactorCommand, Result>
{
    private const string AnyAddress = "any";

    public async Task<Result> Handle(VerifySecondFactorCommand request, CancellationToken cancellationToken)
    {
        var candidate = await secondFactor.FindCandidateAsync(request.OrganizationId, cancellationToken);
        if (candidate is null || !candidate.HasAuthenticatorApp)
        {
            return new Error(SecondFactorErrors.NoSignIn, "Sign in again.");
        }

        var key = SignInBackoff.LoginKey("otp:" + candidate.UserId.ToString());
        var wait = await throttle.TryBeginAttemptAsync(request.OrganizationId, key, AnyAddress, time.GetUtcNow(), cancellationToken);
        if (wait is { } left)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
            await audit.RecordNowAsync(
                new AuditRecord(request.OrganizationId, AuditActions.SignInFailed, AuditOutcome.Refused, AuditActorKind.User, candidate.UserName, candidate.UserId, Detail: "Too many codes: throttled."),
                cancellationToken);
            return new Error(
                SignInErrors.TryLater,
                string.Create(CultureInfo.InvariantCulture, $"Too many attempts. Wait {seconds} {(seconds == 1 ? "second" : "seconds")}, then try again."));
        }

        var code = Normalize(request.Code!, request.RecoveryCode);
        if (!await secondFactor.VerifyAndSignInAsync(candidate, code, request.RecoveryCode, cancellationToken))
        {
            await audit.RecordNowAsync(
                new AuditRecord(
                    request.OrganizationId, AuditActions.SignInFailed, AuditOutcome.Failed, AuditActorKind.User, candidate.UserName, candidate.UserId,
                    Detail: request.RecoveryCode ? "Wrong recovery code." : "Wrong authenticator code."),
                cancellationToken);
            return new Error(SecondFactorErrors.WrongCode, request.RecoveryCode ? "The recovery code is not right, or was used already." : "The code is not right. Enter the code your app shows now.");
        }

        await throttle.ClearAsync(request.OrganizationId, key, AnyAddress, cancellationToken);
        await audit.RecordNowAsync(
            new AuditRecord(
                request.OrganizationId, AuditActions.SignInSucceeded, AuditOutcome.Succeeded, AuditActorKind.User, candidate.UserName, candidate.UserId,
                Detail: request.RecoveryCode ? "Second factor: recovery code." : "Second factor: authenticator app."),
            cancellationToken);
        return Result.Success;
    }

    /// <summary>Spaces and dashes people type are not part of a code; recovery codes are upper case with one dash.</summary>
    private static string Normalize(string code, bool recoveryCode)
    {
        var compact = new string(code.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
        return recoveryCode && compact.Length == 10 ? compact[..5] + "-" + compact[5..] : compact;
    }
}

public static class SecondFactorErrors
{
    /// <summary>Nobody is waiting to give a code (the pending sign-in expired, or nobody signed in).</summary>
    public const string NoSignIn = "no_sign_in";

    public const string WrongCode = "wrong_code";
}
