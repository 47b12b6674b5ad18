using System.Text.RegularExpressions;

namespace Ciba.Domain.Organizations;

/// <summary>A tenant. Every endpoint of an organization lives under <c>/t/{handle}</c>.</summary>
public sealed partial class Organization
{
    public const int MaxNameLength = 100;

    private Organization()
    {
        Handle = string.Empty;
        Name = string.Empty;
    }

    public Guid Id { get; private set; }

    public string Handle { get; private set; }

    public string Name { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

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

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex HandlePattern();
}
