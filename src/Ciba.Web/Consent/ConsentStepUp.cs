using Ciba.Application.Accounts.SecondFactor;
using Ciba.Application.Backchannel.Consent;
using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Authentication;
using Ciba.Web.Accounts;

namespace Ciba.Web.Consent;

/// <summary>
/// Whether the signed-in session is strong enough for a request (product.md §12, §16, ADR 0029):
/// if not, where the person gives the missing factor; if they have no such factor and the
/// application's minimum needs it, the request can only be denied.
/// </summary>
public sealed class ConsentStepUp(IAuthenticatorApp authenticator)
{
    public async Task<ConsentStrength> CheckAsync(
        OrganizationSummary organization, SignedInUser user, ConsentDetails details, string returnUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(details);
        if (details.MinimumAcr is null && details.RequestedAcrValues.Count == 0)
        {
            return ConsentStrength.Enough;
        }

        var factors = await authenticator.GetFactorsAsync(organization.Id, user.UserId, cancellationToken);
        var decision = StepUp.Decide(user.AuthenticationMethods, details.MinimumAcr, details.RequestedAcrValues, factors);
        if (decision.Outcome == StepUpOutcome.CannotApprove)
        {
            return new ConsentStrength(null, CannotApprove: true);
        }

        if (decision.Outcome == StepUpOutcome.Proceed)
        {
            return ConsentStrength.Enough;
        }

        if (StepUpUrl(organization.Handle, decision.Required!, factors, returnUrl) is { } url)
        {
            return new ConsentStrength(url, CannotApprove: false);
        }

        // No step this service offers reaches the level: a minimum stays unmet, a preference is let go.
        return new ConsentStrength(null, CannotApprove: !StepUp.MayApprove(user.AuthenticationMethods, details.MinimumAcr));
    }

    /// <summary>
    /// Where the person gives the factor that reaches <paramref name="required"/>: the authenticator
    /// app's code below phishing resistance, else one of their passkeys (ADR 0030's step-up).
    /// </summary>
    private static string? StepUpUrl(string handle, string required, AvailableFactors factors, string returnUrl)
    {
        if (required != AcrLevels.PhishingResistant && factors.AuthenticatorApp)
        {
            return SecondFactorController.CodePage(handle, returnUrl);
        }

        return factors.Passkey ? PasskeySignInController.StepUpPage(handle, returnUrl) : null;
    }
}

/// <param name="StepUpUrl">Where to give the missing factor first, when there is one to give.</param>
/// <param name="CannotApprove">The application's minimum is out of the person's reach: deny only.</param>
public sealed record ConsentStrength(string? StepUpUrl, bool CannotApprove)
{
    public static ConsentStrength Enough { get; } = new(null, false);
}
