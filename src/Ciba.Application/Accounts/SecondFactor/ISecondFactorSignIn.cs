using Ciba.Domain.Authentication;

namespace Ciba.Application.Accounts.SecondFactor;

/// <summary>
/// The authenticator-app step of a sign-in (product.md §16, ADR 0029): after the password of a
/// person who has an authenticator app, or when a signed-in session must be stronger for a request.
/// </summary>
public interface ISecondFactorSignIn
{
    /// <summary>
    /// Who is asked for a code here: the person whose password was just checked (a short-lived
    /// pending sign-in), else the signed-in person of the organization; null when neither.
    /// </summary>
    Task<SecondFactorCandidate?> FindCandidateAsync(Guid organizationId, CancellationToken cancellationToken);

    /// <summary>
    /// Checks an authenticator code (or, with <paramref name="recoveryCode"/>, redeems a recovery code)
    /// and on success signs the person in with the methods they used plus <c>otp</c>.
    /// </summary>
    Task<bool> VerifyAndSignInAsync(SecondFactorCandidate candidate, string code, bool recoveryCode, CancellationToken cancellationToken);
}

/// <param name="Methods">The <c>amr</c> values already proven (<c>pwd</c>).</param>
/// <param name="HasAuthenticatorApp">Whether the person has an authenticator app to ask a code of.</param>
public sealed record SecondFactorCandidate(Guid OrganizationId, Guid UserId, string UserName, IReadOnlyList<string> Methods, bool HasAuthenticatorApp);

/// <summary>The authenticator app on the person's account page (product.md §16).</summary>
public interface IAuthenticatorApp
{
    /// <summary>Whether the app is on; while it is off, the key to enrol with (created when missing).</summary>
    Task<AuthenticatorAppState?> GetStateAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken);

    /// <summary>Turns the app on when <paramref name="code"/> is right for the pending key; returns the new recovery codes, or null.</summary>
    Task<IReadOnlyList<string>?> ConfirmAsync(Guid organizationId, Guid userId, string code, CancellationToken cancellationToken);

    /// <summary>Turns the app off and forgets its key and recovery codes.</summary>
    Task RemoveAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken);

    /// <summary>The factors the person has, for the acr decision (product.md §16).</summary>
    Task<AvailableFactors> GetFactorsAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken);
}

/// <param name="Key">The shared secret (Base32) while the app is not yet on; null once it is.</param>
public sealed record AuthenticatorAppState(bool Enabled, string UserName, string? Key, int RecoveryCodesLeft);
