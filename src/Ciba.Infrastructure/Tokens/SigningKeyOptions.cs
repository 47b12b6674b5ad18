using System.ComponentModel.DataAnnotations;

namespace Ciba.Infrastructure.Tokens;

/// <summary>Signing-key rotation and caching (<c>Ciba:SigningKeys</c>, ADR 0015).</summary>
public sealed class SigningKeyOptions
{
    public const string SectionName = "Ciba:SigningKeys";

    /// <summary>The scheduled rotation gives each organization a new key when its current one is this old.</summary>
    public TimeSpan RotateAfter { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often a node checks for keys due for rotation (and removes expired ones).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether this node runs the scheduled rotation (safe on every node: rotation takes a lock).</summary>
    public bool ScheduleEnabled { get; set; } = true;

    /// <summary>How long a node uses its in-memory copy of an organization's keys before re-reading them.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a new key is published before it signs; longer than <see cref="CacheDuration"/>, so
    /// every node publishes (and accepts) it before any node signs with it.
    /// </summary>
    public TimeSpan ActivationDelay { get; set; } = TimeSpan.FromMinutes(2);
}

internal sealed class SigningKeyOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SigningKeyOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SigningKeyOptions options)
    {
        var errors = new List<string>();
        if (options.CacheDuration <= TimeSpan.Zero)
        {
            errors.Add("Ciba:SigningKeys:CacheDuration must be positive.");
        }

        if (options.ActivationDelay < 2 * options.CacheDuration)
        {
            errors.Add("Ciba:SigningKeys:ActivationDelay must be at least twice Ciba:SigningKeys:CacheDuration, so every node publishes a new key before any signs with it.");
        }

        if (options.CheckInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("Ciba:SigningKeys:CheckInterval must be at least one second.");
        }

        if (options.RotateAfter < TimeSpan.FromHours(1) || options.RotateAfter <= options.ActivationDelay)
        {
            errors.Add("Ciba:SigningKeys:RotateAfter must be at least one hour and longer than the activation delay.");
        }

        return errors.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors);
    }
}
