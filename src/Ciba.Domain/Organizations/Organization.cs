using System.Text.RegularExpressions;

namespace Ciba.Domain.Organizations;

/// <summary>A tenant. Every endpoint of an organization lives under <c>/t/{handle}</c>.</summary>
public sealed partial class Organization
{
    public const int MaxNameLength = 100;

    /// <summary>product.md §14: finished auth requests are kept 30 days, finished messages 30, audit events 365.</summary>
    public const int DefaultRequestRetentionDays = 30;

    public const int DefaultMessageRetentionDays = 30;

    public const int DefaultAuditRetentionDays = 365;

    public const int MinRetentionDays = 1;

    public const int MaxRetentionDays = 3650;

    private Organization()
    {
        Handle = string.Empty;
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public string Handle { get; private set; }

    public string Name { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Days a finished auth request is kept after it ended (redeemed, denied or expired).</summary>
    public int RequestRetentionDays { get; private set; } = DefaultRequestRetentionDays;

    /// <summary>Days a sent or given-up message (and a development-inbox message) is kept.</summary>
    public int MessageRetentionDays { get; private set; } = DefaultMessageRetentionDays;

    /// <summary>Days an audit event is kept.</summary>
    public int AuditRetentionDays { get; private set; } = DefaultAuditRetentionDays;

    public static Organization Create(string handle, string name, DateTimeOffset now)
    {
        if (!IsValidHandle(handle))
        {
            throw new ArgumentException("An organization handle is 2 to 32 lowercase letters, digits or hyphens.", nameof(handle));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Organization { Id = Guid.NewGuid(), Handle = handle, Name = name.Trim(), CreatedAt = now };
    }

    public static bool IsValidHandle(string? handle) => handle is not null && HandlePattern().IsMatch(handle);

    public void Rename(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Trim();
    }

    public static bool IsValidRetention(int days) => days is >= MinRetentionDays and <= MaxRetentionDays;

    public void SetRetention(int requestDays, int messageDays, int auditDays)
    {
        foreach (var days in new[] { requestDays, messageDays, auditDays })
        {
            if (!IsValidRetention(days))
            {
                throw new ArgumentOutOfRangeException(nameof(requestDays), days, $"A retention period is {MinRetentionDays} to {MaxRetentionDays} days.");
            }
        }

        RequestRetentionDays = requestDays;
        MessageRetentionDays = messageDays;
        AuditRetentionDays = auditDays;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex HandlePattern();
}
