using System.Globalization;

namespace Ciba.Infrastructure.Notifications.Templates;

/// <summary>"expires in 2 minutes": how long a request has left, in words, as of sending.</summary>
public static class ExpiryWording
{
    public static string ExpiresIn(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var left = expiresAt - now;
        if (left <= TimeSpan.Zero)
        {
            return "has expired";
        }

        if (left < TimeSpan.FromSeconds(60))
        {
            return "expires in " + Count((int)Math.Ceiling(left.TotalSeconds), "second");
        }

        if (left < TimeSpan.FromMinutes(59.5))
        {
            return "expires in " + Count((int)Math.Round(left.TotalMinutes, MidpointRounding.AwayFromZero), "minute");
        }

        if (left < TimeSpan.FromHours(23.5))
        {
            return "expires in " + Count((int)Math.Round(left.TotalHours, MidpointRounding.AwayFromZero), "hour");
        }

        return "expires in " + Count((int)Math.Round(left.TotalDays, MidpointRounding.AwayFromZero), "day");
    }

    private static string Count(int value, string unit) =>
        value.ToString(CultureInfo.InvariantCulture) + " " + unit + (value == 1 ? string.Empty : "s");
}
