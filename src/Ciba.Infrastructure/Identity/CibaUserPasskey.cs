namespace Ciba.Infrastructure.Identity;

/// <summary>
/// A passkey (WebAuthn credential) of one person of one organization, as ASP.NET Core Identity's
/// <c>UserPasskeyInfo</c> describes it, plus when it was last used. The credential id is unique
/// within its organization (docs/decisions/0030-passkeys.md).
/// </summary>
public sealed class CibaUserPasskey
{
    public const int MaxNameLength = 60;

    public Guid OrganizationId { get; set; }

    public byte[] CredentialId { get; set; } = [];

    public Guid UserId { get; set; }

    public string? Name { get; set; }

    public byte[] PublicKey { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public long SignCount { get; set; }

    public string[]? Transports { get; set; }

    public bool IsUserVerified { get; set; }

    public bool IsBackupEligible { get; set; }

    public bool IsBackedUp { get; set; }

    public byte[] AttestationObject { get; set; } = [];

    public byte[] ClientDataJson { get; set; } = [];
}
