using System.ComponentModel.DataAnnotations;

namespace Ciba.Infrastructure.Retention;

/// <summary><c>Ciba:Retention</c>: how often the purge runs and how many rows one statement deletes.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Ciba:Retention";

    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1_000;
}
