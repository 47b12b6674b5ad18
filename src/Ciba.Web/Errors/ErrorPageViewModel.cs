namespace Ciba.Web.Errors;

/// <summary>What an error page says, and who is signed in when it is shown inside an organization.</summary>
public sealed class ErrorPageViewModel
{
    public required int StatusCode { get; init; }

    public required string Title { get; init; }

    public required string Message { get; init; }

    /// <summary>The organization of the path, when there is one.</summary>
    public string? OrganizationHandle { get; init; }

    /// <summary>Who is signed in to that organization, if anyone.</summary>
    public string? SignedInAs { get; init; }

    /// <summary>Where signing in again leads: the page that could not be shown.</summary>
    public string? ReturnUrl { get; init; }

    public static (string Title, string Message) WordsFor(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest => ("This request could not be read", "Something in what was sent was not right. Go back and try again."),
        StatusCodes.Status401Unauthorized => ("Sign in to continue", "This page needs you to be signed in."),
        StatusCodes.Status403Forbidden => ("You do not have access to this page", "Your account cannot use this page. Ask an administrator of the organization for access, or use another account."),
        StatusCodes.Status404NotFound => ("Page not found", "If you typed the address, check that it is right. If you followed a link, it may be out of date."),
        StatusCodes.Status405MethodNotAllowed => ("This page cannot be used that way", "Open the page from its link instead, and use its buttons."),
        StatusCodes.Status413PayloadTooLarge => ("What you sent is too large", "Send less at once, or shorten what you typed, and try again."),
        StatusCodes.Status429TooManyRequests => ("Too many requests", "Wait a minute, then try again."),
        StatusCodes.Status503ServiceUnavailable => ("Ciba is busy right now", "The service is briefly unavailable. Nothing you did caused this; try again in a minute."),
        >= 500 => ("Something went wrong", "We could not complete this request. Nothing you did caused this; try again in a moment."),
        _ => ("This request could not be completed", "Go back and try again."),
    };
}
