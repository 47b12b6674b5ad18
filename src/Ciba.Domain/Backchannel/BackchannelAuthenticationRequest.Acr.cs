using Ciba.Domain.Authentication;

namespace Ciba.Domain.Backchannel;

/// <summary>How sure the approval must be and was (product.md §12, §16).</summary>
public sealed partial class BackchannelAuthenticationRequest
{
    /// <summary>The request's supported <c>acr_values</c> in order of preference, space-separated; null when none.</summary>
    public string? RequestedAcrValues { get; private set; }

    /// <summary>The application's minimum level when the request was made; null when none.</summary>
    public string? MinimumAcr { get; private set; }

    /// <summary>The level the approving session achieved (the ID token's <c>acr</c>).</summary>
    public string? Acr { get; private set; }

    /// <summary>The methods the approving session used, space-separated (the ID token's <c>amr</c>).</summary>
    public string? Amr { get; private set; }

    public IReadOnlyList<string> RequestedAcrList =>
        RequestedAcrValues?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public IReadOnlyList<string> AmrList => Amr?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>Records the level the request asks for: the application's minimum and the request's preferences.</summary>
    public void RequireAcr(string? applicationMinimum, IReadOnlyList<string> requestedAcrValues)
    {
        ArgumentNullException.ThrowIfNull(requestedAcrValues);
        MinimumAcr = AcrLevels.IsSupported(applicationMinimum) ? applicationMinimum : null;
        var known = requestedAcrValues.Where(AcrLevels.IsSupported).Distinct(StringComparer.Ordinal).ToArray();
        RequestedAcrValues = known.Length == 0 ? null : string.Join(' ', known);
    }

    /// <summary>
    /// Approval by a session that used <paramref name="amr"/>: refused when it is weaker than the
    /// application's minimum; otherwise recorded with the level achieved and the methods used.
    /// </summary>
    public DecisionOutcome Approve(Guid userId, DateTimeOffset authenticatedAt, IReadOnlyCollection<string> amr, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(amr);
        if (IsAwaitingDecision(now) && userId == UserId && !StepUp.MayApprove(amr, MinimumAcr))
        {
            return DecisionOutcome.NotStrongEnough;
        }

        var outcome = Approve(userId, authenticatedAt, now);
        if (outcome == DecisionOutcome.Recorded)
        {
            RecordAuthentication(amr);
        }

        return outcome;
    }

    /// <summary>Keeps how the approving session authenticated, so every token of this grant says the same.</summary>
    public void RecordAuthentication(IEnumerable<string> amr)
    {
        var methods = AuthenticationMethods.Normalize(amr);
        Acr = AcrLevels.Achieved(methods);
        Amr = methods.Count == 0 ? null : string.Join(' ', methods);
    }
}
