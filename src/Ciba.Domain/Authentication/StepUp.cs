namespace Ciba.Domain.Authentication;

/// <summary>What the consent link does about the session's level (product.md §12, §16).</summary>
public enum StepUpOutcome
{
    /// <summary>The session is strong enough (or nothing stronger can be asked): show the request.</summary>
    Proceed,

    /// <summary>Ask for the missing factor first (<see cref="StepUpDecision.Required"/>), then show the request.</summary>
    AskForFactor,

    /// <summary>The application's minimum needs a factor the person does not have: the request can only be denied.</summary>
    CannotApprove,
}

/// <param name="Required">The level the session must reach before the request is shown, when one applies.</param>
public sealed record StepUpDecision(StepUpOutcome Outcome, string? Required);

/// <summary>
/// Decides whether a session may see and approve a request. The application's minimum is a rule;
/// the request's <c>acr_values</c> are preferences (OpenID Connect Core §3.1.2.1 voluntary): the
/// first preferred level the person can reach is asked for, and one no factor can reach is skipped.
/// </summary>
public static class StepUp
{
    public static StepUpDecision Decide(
        IReadOnlyCollection<string> sessionAmr, string? applicationMinimum, IReadOnlyList<string> requestedAcrValues, AvailableFactors factors)
    {
        ArgumentNullException.ThrowIfNull(sessionAmr);
        ArgumentNullException.ThrowIfNull(requestedAcrValues);
        ArgumentNullException.ThrowIfNull(factors);
        var achieved = AcrLevels.Achieved(sessionAmr);
        var minimum = AcrLevels.IsSupported(applicationMinimum) ? applicationMinimum : null;
        if (minimum is not null && !AcrLevels.Meets(achieved, minimum) && !AcrLevels.CanReach(minimum, factors))
        {
            return new StepUpDecision(StepUpOutcome.CannotApprove, minimum);
        }

        var preferred = requestedAcrValues.FirstOrDefault(level => AcrLevels.CanReach(level, factors));
        var required = AcrLevels.Stronger(minimum, preferred);
        return AcrLevels.Meets(achieved, required)
            ? new StepUpDecision(StepUpOutcome.Proceed, required)
            : new StepUpDecision(StepUpOutcome.AskForFactor, required);
    }

    /// <summary>Whether an approval by this session satisfies the application's minimum (checked again at the decision).</summary>
    public static bool MayApprove(IReadOnlyCollection<string> sessionAmr, string? applicationMinimum) =>
        AcrLevels.Meets(AcrLevels.Achieved(sessionAmr), applicationMinimum);
}
