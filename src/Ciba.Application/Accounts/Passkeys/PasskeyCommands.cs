using System.Globalization;
using System.Net;
using Ciba.Application.Accounts.SignIn;
using Ciba.Application.Audit;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Ciba.Domain.Audit;
using FluentValidation;
using MediatR;

namespace Ciba.Application.Accounts.Passkeys;

/// <summary>Starts adding a passkey for the signed-in person: the options for the browser.</summary>
public sealed record StartPasskeyRegistrationCommand(Guid OrganizationId, Guid UserId) : IRequest<Result<string>>;

/// <summary>Finishes adding a passkey: the browser's attestation (JSON) and an optional name.</summary>
public sealed record RegisterPasskeyCommand(Guid OrganizationId, Guid UserId, string? Credential, string? Name, string? Actor = null) : IRequest<Result<PasskeySummary>>
{
    public override string ToString() => $"RegisterPasskeyCommand {{ OrganizationId = {OrganizationId}, UserId = {UserId} }}";
}

/// <summary>Starts a passkey assertion: for anyone (sign-in) or for the signed-in person (step-up).</summary>
public sealed record StartPasskeyAssertionCommand(Guid OrganizationId, Guid? UserId) : IRequest<Result<string>>;

/// <summary>Signs in with a passkey and no password (product.md §16), throttled like the password step.</summary>
public sealed record PasskeySignInCommand(Guid OrganizationId, string? Credential, IPAddress? ClientAddress = null) : IRequest<Result>
{
    public override string ToString() => $"PasskeySignInCommand {{ OrganizationId = {OrganizationId} }}";
}

/// <summary>The signed-in person proves a passkey of theirs; its <c>amr</c> joins their session.</summary>
public sealed record PasskeyStepUpCommand(Guid OrganizationId, Guid UserId, string? Credential, IPAddress? ClientAddress = null) : IRequest<Result>
{
    public override string ToString() => $"PasskeyStepUpCommand {{ OrganizationId = {OrganizationId}, UserId = {UserId} }}";
}

public sealed record ListPasskeysQuery(Guid OrganizationId, Guid UserId) : IRequest<IReadOnlyList<PasskeySummary>>;

public sealed record RenamePasskeyCommand(Guid OrganizationId, Guid UserId, string? PasskeyId, string? Name) : IRequest<Result>;

public sealed record RemovePasskeyCommand(Guid OrganizationId, Guid UserId, string? PasskeyId, string? Actor = null) : IRequest<Result>;

public static class PasskeyErrors
{
    /// <summary>The browser's answer was refused (bad, stale, another organization's or unknown passkey).</summary>
    public const string Refused = "passkey_refused";

    public const int MaxCredentialLength = 32 * 1024;

    public const int MaxIdLength = 1400;

    public const int MaxNameLength = 60;
}

internal sealed class RegisterPasskeyCommandValidator : AbstractValidator<RegisterPasskeyCommand>
{
    public RegisterPasskeyCommandValidator()
    {
        RuleFor(c => c.Credential).NotEmpty().WithMessage("Your browser did not send a passkey. Try again.")
            .MaximumLength(PasskeyErrors.MaxCredentialLength).WithMessage("Your browser sent a passkey that is too long.");
        RuleFor(c => c.Name).MaximumLength(PasskeyErrors.MaxNameLength).WithMessage($"Name must be {PasskeyErrors.MaxNameLength} characters or fewer.")
            .Must(n => n is null || !ControlCharacters.Contains(n)).WithMessage("Name must not contain control characters.");
    }
}

internal sealed class PasskeySignInCommandValidator : AbstractValidator<PasskeySignInCommand>
{
    public PasskeySignInCommandValidator()
    {
        RuleFor(c => c.Credential).NotEmpty().WithMessage("Your browser did not send a passkey. Try again.")
            .MaximumLength(PasskeyErrors.MaxCredentialLength).WithMessage("Your browser sent a passkey that is too long.");
    }
}

internal sealed class PasskeyStepUpCommandValidator : AbstractValidator<PasskeyStepUpCommand>
{
    public PasskeyStepUpCommandValidator()
    {
        RuleFor(c => c.Credential).NotEmpty().WithMessage("Your browser did not send a passkey. Try again.")
            .MaximumLength(PasskeyErrors.MaxCredentialLength).WithMessage("Your browser sent a passkey that is too long.");
    }
}

internal sealed class RenamePasskeyCommandValidator : AbstractValidator<RenamePasskeyCommand>
{
    public RenamePasskeyCommandValidator()
    {
        RuleFor(c => c.PasskeyId).NotEmpty().MaximumLength(PasskeyErrors.MaxIdLength);
        RuleFor(c => c.Name).Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Enter a name for the passkey.")
            .MaximumLength(PasskeyErrors.MaxNameLength).WithMessage($"Name must be {PasskeyErrors.MaxNameLength} characters or fewer.")
            .Must(n => !ControlCharacters.Contains(n)).WithMessage("Name must not contain control characters.");
    }
}

internal sealed class RemovePasskeyCommandValidator : AbstractValidator<RemovePasskeyCommand>
{
    public RemovePasskeyCommandValidator()
    {
        RuleFor(c => c.PasskeyId).NotEmpty().MaximumLength(PasskeyErrors.MaxIdLength);
    }
}

/// <summary>
/// The passkey use cases. Sign-in and step-up count attempts in the sign-in throttle per client
/// address under one key for all passkey attempts (a passkey names nobody until it is checked).
/// </summary>
internal sealed class PasskeyHandlers(IAccountPasskeys passkeys, ISignInThrottle throttle, IAuditTrail audit, TimeProvider time) :
    IRequestHandler<StartPasskeyRegistrationCommand, Result<string>>,
    IRequestHandler<RegisterPasskeyCommand, Result<PasskeySummary>>,
    IRequestHandler<StartPasskeyAssertionCommand, Result<string>>,
    IRequestHandler<PasskeySignInCommand, Result>,
    IRequestHandler<PasskeyStepUpCommand, Result>,
    IRequestHandler<ListPasskeysQuery, IReadOnlyList<PasskeySummary>>,
    IRequestHandler<RenamePasskeyCommand, Result>,
    IRequestHandler<RemovePasskeyCommand, Result>
{
    private static readonly byte[] ThrottleKey = SignInBackoff.LoginKey("\u0001passkey");

    public async Task<Result<string>> Handle(StartPasskeyRegistrationCommand request, CancellationToken cancellationToken) =>
        await passkeys.BeginRegistrationAsync(request.OrganizationId, request.UserId, cancellationToken) is { } options
            ? options
            : Error.NotFound("The person");

    public async Task<Result<PasskeySummary>> Handle(RegisterPasskeyCommand request, CancellationToken cancellationToken)
    {
        var added = await passkeys.CompleteRegistrationAsync(
            request.OrganizationId, request.UserId, request.Credential!, string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim(), cancellationToken);
        if (added is null)
        {
            return new Error(PasskeyErrors.Refused, "The passkey could not be added. Try again.");
        }

        await audit.RecordNowAsync(
            new AuditRecord(request.OrganizationId, AuditActions.PasskeyAdded, AuditOutcome.Succeeded, AuditActorKind.User, request.Actor, request.UserId, Detail: $"Passkey \"{added.Name}\" ({added.AuthenticationMethod})."),
            cancellationToken);
        return added;
    }

    public async Task<Result<string>> Handle(StartPasskeyAssertionCommand request, CancellationToken cancellationToken) =>
        await passkeys.BeginAssertionAsync(request.OrganizationId, request.UserId, cancellationToken);

    public Task<Result> Handle(PasskeySignInCommand request, CancellationToken cancellationToken) =>
        AssertAsync(request.OrganizationId, request.ClientAddress, () => passkeys.SignInAsync(request.OrganizationId, request.Credential!, cancellationToken), cancellationToken);

    public Task<Result> Handle(PasskeyStepUpCommand request, CancellationToken cancellationToken) =>
        AssertAsync(request.OrganizationId, request.ClientAddress, () => passkeys.StepUpAsync(request.OrganizationId, request.UserId, request.Credential!, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PasskeySummary>> Handle(ListPasskeysQuery request, CancellationToken cancellationToken) =>
        passkeys.ListAsync(request.OrganizationId, request.UserId, cancellationToken);

    public async Task<Result> Handle(RenamePasskeyCommand request, CancellationToken cancellationToken) =>
        await passkeys.RenameAsync(request.OrganizationId, request.UserId, request.PasskeyId!, request.Name!.Trim(), cancellationToken)
            ? Result.Success
            : Error.NotFound("The passkey");

    public async Task<Result> Handle(RemovePasskeyCommand request, CancellationToken cancellationToken)
    {
        var removed = await passkeys.RemoveAsync(request.OrganizationId, request.UserId, request.PasskeyId!, cancellationToken);
        if (removed is null)
        {
            return Error.NotFound("The passkey");
        }

        await audit.RecordNowAsync(
            new AuditRecord(request.OrganizationId, AuditActions.PasskeyRemoved, AuditOutcome.Succeeded, AuditActorKind.User, request.Actor, request.UserId, Detail: $"Passkey \"{removed.Name}\"."),
            cancellationToken);
        return Result.Success;
    }

    private async Task<Result> AssertAsync(Guid organizationId, IPAddress? clientAddress, Func<Task<PasskeyAssertionOutcome>> assert, CancellationToken cancellationToken)
    {
        var addressKey = SignInBackoff.AddressKey(clientAddress);
        var wait = await throttle.TryBeginAttemptAsync(organizationId, ThrottleKey, addressKey, time.GetUtcNow(), cancellationToken);
        if (wait is { } left)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
            await audit.RecordNowAsync(
                new AuditRecord(organizationId, AuditActions.SignInFailed, AuditOutcome.Refused, AuditActorKind.User, null, Detail: "Passkey: too many attempts, throttled."),
                cancellationToken);
            return new Error(
                SignInErrors.TryLater,
                string.Create(CultureInfo.InvariantCulture, $"Too many attempts. Wait {seconds} {(seconds == 1 ? "second" : "seconds")}, then try again."));
        }

        var outcome = await assert();
        if (!outcome.Succeeded)
        {
            await audit.RecordNowAsync(
                new AuditRecord(organizationId, AuditActions.SignInFailed, AuditOutcome.Failed, AuditActorKind.User, outcome.UserName, outcome.UserId, Detail: "Passkey: " + outcome.FailureDetail),
                cancellationToken);
            return new Error(PasskeyErrors.Refused, "That passkey could not sign you in. Try again, or sign in with your password.");
        }

        await audit.RecordNowAsync(
            new AuditRecord(organizationId, AuditActions.SignInSucceeded, AuditOutcome.Succeeded, AuditActorKind.User, outcome.UserName, outcome.UserId, Detail: $"Passkey ({outcome.AuthenticationMethod})."),
            cancellationToken);
        await throttle.ClearAsync(organizationId, ThrottleKey, addressKey, cancellationToken);
        return Result.Success;
    }
}
