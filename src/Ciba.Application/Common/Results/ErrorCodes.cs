namespace Ciba.Application.Common.Results;

/// <summary>Codes of non-protocol (console and page) failures.</summary>
public static class ErrorCodes
{
    public const string Validation = "validation_failed";
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    public const string Conflict = "conflict";

    /// <summary>The auth request behind a link has expired.</summary>
    public const string LinkExpired = "link_expired";

    /// <summary>The auth request behind a link was already approved or denied.</summary>
    public const string AlreadyDecided = "already_decided";

    /// <summary>The signed-in person is not the one the auth request names.</summary>
    public const string WrongUser = "wrong_user";

    /// <summary>The signed-in person's account is locked (or gone) and may not approve.</summary>
    public const string AccountLocked = "account_locked";

    /// <summary>The session is weaker than the application's minimum acr (product.md §16): sign in more strongly first.</summary>
    public const string StrongerSignInNeeded = "stronger_sign_in_needed";
}
