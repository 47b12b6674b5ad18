using System.Globalization;
using Ciba.Domain.Applications;

namespace Ciba.Application.Console.Applications.UpdateProtocol;

/// <summary>Reads the Protocol tab's values as typed into a form.</summary>
public static class ProtocolValues
{
    public static IReadOnlyList<string> ChannelNames { get; } =
        [nameof(NotificationChannels.Email), nameof(NotificationChannels.Sms), nameof(NotificationChannels.External)];

    /// <summary>A whole number of seconds (digits only, at most 9 of them), else null.</summary>
    public static int? ParseSeconds(string? value)
    {
        var trimmed = value?.Trim();
        return trimmed is { Length: > 0 and <= 9 } && int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : null;
    }

    /// <summary>The channels named (case-insensitively), or null when a name is unknown.</summary>
    public static NotificationChannels? ParseChannels(IReadOnlyList<string>? names)
    {
        var channels = NotificationChannels.None;
        foreach (var name in names ?? [])
        {
            var known = ChannelNames.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                return null;
            }

            channels |= Enum.Parse<NotificationChannels>(known);
        }

        return channels;
    }

    public static IReadOnlyList<string> NamesOf(NotificationChannels channels) =>
        ChannelNames.Where(name => channels.HasFlag(Enum.Parse<NotificationChannels>(name))).ToList();
}
