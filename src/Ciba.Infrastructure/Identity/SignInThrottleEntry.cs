namespace Ciba.Infrastructure.Identity;

/// <summary>The sign-in attempts counted for one login (hashed) from one client address (ADR 0012).</summary>
public sealed class SignInThrottleEntry
{
    public Guid OrganizationId { get; set; }

    public byte[] LoginKey { get; set; } = [];

    public string AddressKey { get; set; } = string.Empty;

    public int Failures { get; set; }

    public DateTimeOffset LastAttemptAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }
}
