using System.Globalization;

namespace Ciba.Web.Consent;

/// <summary>Time left on a request as a person reads it: "Expires in 1 minute 40 seconds".</summary>
public static class ExpiryText
{
    public static string Describe(TimeSpan timeLeft)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, timeLeft.TotalSeconds));
        if (seconds == 0)
        {
            return "Expires now";
        }

        var hours = seconds / 3600;
        var minutes = seconds % 3600 / 60;
        var rest = seconds % 60;
        var parts = hours > 0
            ? new[] { Unit(hours, "hour"), Unit(minutes, "minute") }
            : new[] { Unit(minutes, "minute"), Unit(rest, "second") };
        return "Expires in " + string.Join(' ', parts.Where(p => p.Length > 0));
    }

    private static string Unit(long count, string unit) => count switch
    {
        0 => string.Empty,
        1 => "1 " + unit,
        _ => count.ToString(CultureInfo.InvariantCulture) + " " + unit + "s",
    };
}
