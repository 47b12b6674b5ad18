using Ciba.Application.Common.Results;

namespace Ciba.Web.Consent;

/// <summary>Why a link cannot be used, in words for the person holding the phone.</summary>
public sealed class LinkUnavailableViewModel
{
    public required int StatusCode { get; init; }

    public required string Title { get; init; }

    public required string Message { get; init; }

    public static LinkUnavailableViewModel For(string errorCode) => errorCode switch
    {
        ErrorCodes.LinkExpired => new()
        {
            StatusCode = StatusCodes.Status410Gone,
            Title = "This link has expired",
            Message = "The sign-in request timed out. Start again on your TV or other device to get a new link.",
        },
        ErrorCodes.AlreadyDecided => new()
        {
            StatusCode = StatusCodes.Status410Gone,
            Title = "This request has already been answered",
            Message = "Someone already approved or denied this sign-in request, so the link cannot be used again. "
                + "If you still want to sign in, start again on your TV or other device.",
        },
        ErrorCodes.AccountLocked => new()
        {
            StatusCode = StatusCodes.Status403Forbidden,
            Title = "Your account cannot approve requests",
            Message = "Your account is locked. Ask your organization's administrator for help.",
        },
        _ => new()
        {
            StatusCode = StatusCodes.Status404NotFound,
            Title = "This link does not work",
            Message = "We could not find a sign-in request for this link. Check that you opened the whole link, "
                + "or start again on your TV or other device.",
        },
    };
}
