using System.Security.Claims;

namespace Ciba.Application.Accounts;

/// <summary>Password sign-in to one organization and the checks that keep a session alive (ASP.NET Core Identity behind it).</summary>
public interface IAccountSignIn
{
    /// <summary>
    /// Checks the password and signs the person in. An unknown login costs the same password hash
    /// verification as a known one, and an unknown login, a wrong password and a locked account
    /// all answer <see cref="SignInOutcome.Failed"/> (docs/decisions/0012-sessions-and-sign-in-throttling.md).
    /// </summary>
    /// <param name="login">A username or an email address of the organization.</param>
    Task<SignInOutcome> PasswordSignInAsync(Guid organizationId, string login, string password, CancellationToken cancellationToken);

    Task SignOutAsync();

    /// <summary>
    /// Whether a session's person still exists in its organization, is not locked, and has the
    /// security stamp the session was issued with (a lock, role change or password reset renews it).
    /// </summary>
    Task<bool> IsSessionCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken);
}

public enum SignInOutcome
{
    SignedIn,
    Failed,

    /// <summary>The password is right and the person has an authenticator app: its code comes next (ADR 0029).</summary>
    SecondFactorRequired,
}
