namespace Ciba.Application.Accounts.Passkeys;

/// <summary>
/// A person's passkeys in one organization, and the WebAuthn ceremonies behind them (ASP.NET Core
/// Identity's passkey support; docs/decisions/0030-passkeys.md). Begin* methods return the options
/// JSON for the browser and keep the ceremony's state for the next request of the same browser.
/// </summary>
public interface IAccountPasskeys
{
    /// <summary>The options for <c>navigator.credentials.create()</c>, or null when the person is not found.</summary>
    Task<string?> BeginRegistrationAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken);

    /// <summary>Checks the attestation against the ceremony begun for this person and stores the passkey; null when refused.</summary>
    Task<PasskeySummary?> CompleteRegistrationAsync(Guid organizationId, Guid userId, string credentialJson, string? name, CancellationToken cancellationToken);

    /// <summary>
    /// The options for <c>navigator.credentials.get()</c>: for anyone (a discoverable passkey) when
    /// <paramref name="userId"/> is null, else for that person's passkeys only.
    /// </summary>
    Task<string> BeginAssertionAsync(Guid organizationId, Guid? userId, CancellationToken cancellationToken);

    /// <summary>Checks an assertion and signs its person in with the passkey's <c>amr</c>, no password.</summary>
    Task<PasskeyAssertionOutcome> SignInAsync(Guid organizationId, string credentialJson, CancellationToken cancellationToken);

    /// <summary>Checks an assertion of the signed-in person and adds the passkey's <c>amr</c> to their session.</summary>
    Task<PasskeyAssertionOutcome> StepUpAsync(Guid organizationId, Guid userId, string credentialJson, CancellationToken cancellationToken);

    Task<IReadOnlyList<PasskeySummary>> ListAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken);

    /// <summary>False when the person has no such passkey.</summary>
    Task<bool> RenameAsync(Guid organizationId, Guid userId, string passkeyId, string name, CancellationToken cancellationToken);

    /// <summary>The removed passkey, or null when the person has no such passkey.</summary>
    Task<PasskeySummary?> RemoveAsync(Guid organizationId, Guid userId, string passkeyId, CancellationToken cancellationToken);
}

/// <summary>A passkey as its owner sees it. <see cref="Id"/> is the credential id, base64url.</summary>
public sealed record PasskeySummary(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool IsSynced)
{
    public string AuthenticationMethod => PasskeyAuthenticationMethods.For(IsSynced);
}

/// <summary>The result of a passkey assertion; <see cref="FailureDetail"/> is for the audit log only.</summary>
public sealed record PasskeyAssertionOutcome(bool Succeeded, Guid? UserId, string? UserName, string? AuthenticationMethod, string? FailureDetail)
{
    public static PasskeyAssertionOutcome Failed(string detail, Guid? userId = null, string? userName = null) => new(false, userId, userName, null, detail);
}

/// <summary>
/// The <c>amr</c> a passkey earns (RFC 8176): <c>hwk</c> for a device-bound passkey, <c>swk</c>
/// for one that may be synced to other devices (the authenticator's backup-eligible flag).
/// </summary>
public static class PasskeyAuthenticationMethods
{
    public const string DeviceBound = "hwk";

    public const string Synced = "swk";

    public static string For(bool backupEligible) => backupEligible ? Synced : DeviceBound;
}

/// <summary>The short-lived cookie that carries a passkey ceremony's state from the options to the answer.</summary>
public static class PasskeyCeremony
{
    public const string Scheme = "Ciba.Passkey";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
}
