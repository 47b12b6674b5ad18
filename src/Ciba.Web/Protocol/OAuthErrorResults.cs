using System.Text;
using System.Text.Json;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Ciba.Web.Protocol;

/// <summary>
/// The one place an OAuth error becomes an HTTP response (RFC 6749 §5.2, CIBA Core §11, §13, RFC 6750 §3):
/// 400, except <c>invalid_client</c> and <c>invalid_token</c> (401), <c>access_denied</c> at the
/// backchannel endpoint (403; at the token endpoint it is a 400 like every grant error),
/// <c>server_error</c> (500) and <c>temporarily_unavailable</c> (503 with <c>Retry-After</c>, for a
/// database outage); a JSON body with only <c>error</c> and <c>error_description</c>; never cached.
/// </summary>
public enum OAuthEndpoint
{
    Backchannel,
    Token,
    UserInfo,
}

public static class OAuthErrorResults
{
    /// <param name="endpoint">Which endpoint answers: the status of <c>access_denied</c> depends on it.</param>
    /// <param name="challengeClient">An <c>invalid_client</c> answer carries a Basic challenge (see <see cref="ClientAuthentication.ShouldChallenge"/>).</param>
    /// <param name="tokenPresented">
    /// The request carried a bearer token. RFC 6750 §3.1: a request without any authentication
    /// information gets a bare <c>Bearer</c> challenge, without an error code.
    /// </param>
    public static IActionResult For(Error error, OAuthEndpoint endpoint, bool challengeClient = false, bool tokenPresented = true)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = StatusFor(error.Code, endpoint);
        string? challenge = error.Code switch
        {
            OAuthErrorCodes.InvalidClient when challengeClient => "Basic realm=\"ciba\"",
            OAuthErrorCodes.InvalidToken when tokenPresented => "Bearer realm=\"ciba\", error=\"invalid_token\"",
            OAuthErrorCodes.InvalidToken => "Bearer realm=\"ciba\"",
            _ => null,
        };
        return new OAuthErrorResult(status, error.Code, SafeDescription(error.Description), challenge);
    }

    /// <summary>Seconds a client is asked to wait (<c>Retry-After</c>) when the database is briefly unavailable.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>An unexpected failure on any protocol endpoint (RFC 6749 §5.2 <c>server_error</c>).</summary>
    public static IActionResult ServerError() =>
        For(new Error(OAuthErrorCodes.ServerError, "The server could not answer the request."), OAuthEndpoint.Token);

    /// <summary>
    /// An exception on a protocol endpoint: a transient database failure is
    /// <c>temporarily_unavailable</c> (503, <c>Retry-After</c>), so clients keep polling through a
    /// restart; anything else is <c>server_error</c>.
    /// </summary>
    public static IActionResult ForException(Exception exception, IDatabaseFailures failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return failures.IsTransient(exception)
            ? For(new Error(OAuthErrorCodes.TemporarilyUnavailable, "The service is briefly unavailable; retry after the Retry-After delay."), OAuthEndpoint.Token)
            : ServerError();
    }

    /// <summary>
    /// The application's own rate limit (product.md §14, ADR 0026): 429 with <c>Retry-After</c> and
    /// <c>temporarily_unavailable</c>, as RFC 6749 has no rate-limit code.
    /// </summary>
    public static IActionResult RateLimited(int perMinute, int retryAfterSeconds) =>
        new OAuthErrorResult(
            StatusCodes.Status429TooManyRequests,
            OAuthErrorCodes.TemporarilyUnavailable,
            SafeDescription($"This application's rate limit of {perMinute} requests per minute is exceeded; retry after the Retry-After delay."),
            challenge: null,
            retryAfterSeconds);

    public static int StatusFor(string code, OAuthEndpoint endpoint) => code switch
    {
        OAuthErrorCodes.InvalidClient or OAuthErrorCodes.InvalidToken => StatusCodes.Status401Unauthorized,

        // CIBA Core §13 (backchannel endpoint): 403. CIBA Core §11 (token endpoint): 400.
        OAuthErrorCodes.AccessDenied when endpoint == OAuthEndpoint.Backchannel => StatusCodes.Status403Forbidden,
        OAuthErrorCodes.ServerError => StatusCodes.Status500InternalServerError,
        OAuthErrorCodes.TemporarilyUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E.</summary>
    public static string SafeDescription(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var builder = new StringBuilder(description.Length);
        foreach (var c in description)
        {
            builder.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?');
        }

        return builder.ToString();
    }

    /// <summary>An OAuth error answer; its <see cref="Code"/> is what the request metrics count.</summary>
    internal sealed class OAuthErrorResult(int status, string code, string description, string? challenge, int? retryAfterSeconds = null) : IActionResult
    {
        public string Code => code;

        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = status;
            ProtocolHeaders.NoStore(response);
            if (challenge is not null)
            {
                response.Headers[HeaderNames.WWWAuthenticate] = challenge;
            }

            if (retryAfterSeconds is not null || status == StatusCodes.Status503ServiceUnavailable)
            {
                response.Headers[HeaderNames.RetryAfter] = (retryAfterSeconds ?? RetryAfterSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(response.Body);
            writer.WriteStartObject();
            writer.WriteString("error", code);
            writer.WriteString("error_description", description);
            writer.WriteEndObject();
            await writer.FlushAsync(context.HttpContext.RequestAborted);
        }
    }
}
