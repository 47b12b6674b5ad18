namespace Ciba.Application.Accounts;

/// <summary>Password sign-in to one organization, with lockout (ASP.NET Core Identity behind it).</summary>
public interface IAccountSignIn
{
    /// <param name="login">A username or an email address of the organization.</param>
    Task<SignInOutcome> PasswordSignInAsync(Guid organizationId, string login, string password, CancellationToken cancellationToken);

    Task SignOutAsync();
}

public enum SignInOutcome
{
    SignedIn,
    Failed,
    LockedOut,
    NotAllowed,
}
