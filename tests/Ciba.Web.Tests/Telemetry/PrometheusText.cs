using System.Globalization;

namespace Ciba.Web.Tests.Telemetry;

/// <summary>Reads a Prometheus text exposition: the sum of the series of a metric whose labels include the given ones.</summary>
public static class PrometheusText
{
    public static double? Sum(string exposition, string metric, params (string Name, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        double? sum = null;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#') || !(line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal)))
            {
                continue;
            }

            var close = line.LastIndexOf('}');
            var labelText = close < 0 ? string.Empty : line[(metric.Length + 1)..close];
            if (!labels.All(l => labelText.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                continue;
            }

            var valueText = line[((close < 0 ? metric.Length : close) + 1)..].Trim().Split(' ')[0];
            sum = (sum ?? 0) + double.Parse(valueText, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
