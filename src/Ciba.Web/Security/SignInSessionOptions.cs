using Microsoft.Extensions.Options;

namespace Ciba.Web.Security;

/// <summary>How long a sign-in lasts, bound from <c>Ciba:Sessions</c> (docs/decisions/0012-sessions-and-sign-in-throttling.md).</summary>
public sealed class SignInSessionOptions
{
    public const string SectionName = "Ciba:Sessions";

    /// <summary>A session ends this long after the sign-in, however busy it was.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>A session ends after this long without a request.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Outside the console (which checks every request), how often a session is checked against the account.</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

internal sealed class SignInSessionOptionsValidator : IValidateOptions<SignInSessionOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.AbsoluteLifetime <= TimeSpan.Zero)
        {
            failures.Add("Ciba:Sessions:AbsoluteLifetime must be positive (e.g. 12:00:00).");
        }

        if (options.IdleTimeout <= TimeSpan.Zero || options.IdleTimeout > options.AbsoluteLifetime)
        {
            failures.Add("Ciba:Sessions:IdleTimeout must be positive and at most Ciba:Sessions:AbsoluteLifetime.");
        }

        if (options.RecheckInterval < TimeSpan.Zero || options.RecheckInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add("Ciba:Sessions:RecheckInterval must be between 00:00:00 and 00:01:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
