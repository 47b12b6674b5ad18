namespace Ciba.Application.Common.Results;

/// <summary>Every OAuth / CIBA error code Ciba answers with (RFC 6749 §5.2, CIBA Core §13, §11).</summary>
public static class OAuthErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidScope = "invalid_scope";

    /// <summary>RFC 8707 §2: the <c>resource</c> is not an API of the organization the request's scopes are for.</summary>
    public const string InvalidTarget = "invalid_target";
    public const string AccessDenied = "access_denied";
    public const string ExpiredToken = "expired_token";
    public const string SlowDown = "slow_down";
    public const string AuthorizationPending = "authorization_pending";
    public const string UnknownUserId = "unknown_user_id";
    public const string InvalidBindingMessage = "invalid_binding_message";
    public const string ExpiredLoginHintToken = "expired_login_hint_token";
    public const string MissingUserCode = "missing_user_code";
    public const string InvalidUserCode = "invalid_user_code";
    public const string InvalidToken = "invalid_token";
    public const string ServerError = "server_error";

    /// <summary>RFC 6749 §4.1.2.1: the server is briefly unable to answer (a database outage); answered 503 with Retry-After.</summary>
    public const string TemporarilyUnavailable = "temporarily_unavailable";
}
