using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Backchannel.Redeem;
using Ciba.Application.Common.Results;
using Ciba.Application.UserInfo;
using Ciba.Domain.Applications;
using Ciba.Web.Protocol;
using Ciba.Web.Protocol.Discovery;

namespace Ciba.Web.OpenApi;

/// <summary>How a protocol endpoint authenticates its caller.</summary>
public enum CallerAuthentication
{
    None,

    /// <summary><c>client_secret_basic</c> or <c>client_secret_post</c> (product.md §3, §10).</summary>
    Client,

    /// <summary>A bearer access token (RFC 6750 §2.1).</summary>
    BearerToken,
}

/// <summary>A form field of a protocol request (<c>application/x-www-form-urlencoded</c>).</summary>
public sealed record FormField(string Name, string Description, bool Required = false, IReadOnlyList<string>? AllowedValues = null);

/// <summary>
/// One protocol endpoint as clients see it: the route it is served on, what it reads, what it
/// answers and which OAuth errors it can answer with. The OpenAPI document and the request metrics
/// both read it; a new endpoint is one more entry here.
/// </summary>
public sealed record ProtocolEndpointDescription(
    string Name,
    string RouteTemplate,
    string Summary,
    string Description,
    CallerAuthentication Authentication,
    IReadOnlyList<FormField> Form,
    Type SuccessType,
    string SuccessDescription,
    OAuthEndpoint ErrorEndpoint,
    IReadOnlyList<string> ErrorCodes);

public static class ProtocolEndpointCatalog
{
    private static readonly FormField ClientId = new("client_id", "The client id, with client_secret_post (with client_secret_basic it is in the Authorization header).");
    private static readonly FormField ClientSecret = new("client_secret", "The client secret, with client_secret_post only.");

    public static IReadOnlyList<ProtocolEndpointDescription> All { get; } =
    [
        new(
            "backchannel",
            "t/{org}/oauth2/ciba",
            "Backchannel authentication request (CIBA Core §7)",
            "Asks Ciba to reach the person named by the hint and get their decision. Answers an auth_req_id to poll the token endpoint with; with the external channel also the auth_url the client delivers itself.",
            CallerAuthentication.Client,
            [
                new("scope", "Space-separated scopes; must contain openid.", Required: true),
                new("login_hint", "The person's username, email address or mobile number in the organization. Exactly one of login_hint, id_token_hint and login_hint_token."),
                new("id_token_hint", "An ID token Ciba issued to this client, naming the person."),
                new("login_hint_token", "A JWT from an issuer the organization trusts, naming the person."),
                new("binding_message", "Shown on the person's phone; up to 64 printable characters, no control characters, no < or >."),
                new("requested_expiry", "Seconds the request may stay open (a positive integer); the application's expiry caps it."),
                new("notification_channel", "The one channel to use; it must be enabled for the application and able to reach the person.", AllowedValues: ["email", "sms", "external"]),
                ClientId,
                ClientSecret,
            ],
            typeof(BackchannelAuthenticationResponse),
            "The authentication request acknowledgement (CIBA Core §7.3).",
            OAuthEndpoint.Backchannel,
            [
                OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidClient, OAuthErrorCodes.UnauthorizedClient, OAuthErrorCodes.InvalidScope,
                OAuthErrorCodes.InvalidTarget, OAuthErrorCodes.UnknownUserId, OAuthErrorCodes.InvalidBindingMessage, OAuthErrorCodes.ExpiredLoginHintToken,
                OAuthErrorCodes.MissingUserCode, OAuthErrorCodes.InvalidUserCode, OAuthErrorCodes.AccessDenied, OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable,
            ]),
        new(
            "token",
            "t/{org}/oauth2/token",
            "Token request with the CIBA grant (CIBA Core §10.1)",
            "Polls an auth_req_id. Answers authorization_pending until the person decides, slow_down when polled sooner than the interval (which then grows by 5 s), and the tokens once approved; a grant is redeemed once.",
            CallerAuthentication.Client,
            [
                new("grant_type", "The CIBA grant.", Required: true, AllowedValues: [GrantTypes.Ciba]),
                new("auth_req_id", "The auth_req_id of the backchannel response.", Required: true),
                ClientId,
                ClientSecret,
            ],
            typeof(TokenResponse),
            "The tokens (CIBA Core §10.1.1): an access token (JWT, typ at+jwt) and an ID token.",
            OAuthEndpoint.Token,
            [
                OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidClient, OAuthErrorCodes.UnauthorizedClient, OAuthErrorCodes.UnsupportedGrantType,
                OAuthErrorCodes.InvalidGrant, OAuthErrorCodes.ExpiredToken, OAuthErrorCodes.AccessDenied, OAuthErrorCodes.SlowDown,
                OAuthErrorCodes.AuthorizationPending, OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable,
            ]),
        new(
            "revoke",
            "t/{org}/oauth2/revoke",
            "Token revocation (RFC 7009)",
            "Revokes a refresh token (and its whole family) or an access token of the calling client. Unknown tokens and other clients' tokens are answered the same and nothing changes.",
            CallerAuthentication.Client,
            [
                new("token", "The refresh token or access token to revoke.", Required: true),
                new("token_type_hint", "refresh_token or access_token (a hint only).", AllowedValues: ["refresh_token", "access_token"]),
                ClientId,
                ClientSecret,
            ],
            typeof(object),
            "An empty body (RFC 7009 §2.2).",
            OAuthEndpoint.Token,
            [OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidClient, OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable]),
        new(
            "introspect",
            "t/{org}/oauth2/introspect",
            "Token introspection (RFC 7662)",
            "Whether a token of the calling client is active, with its claims; anything else is active: false.",
            CallerAuthentication.Client,
            [
                new("token", "The refresh token or access token to introspect.", Required: true),
                new("token_type_hint", "refresh_token or access_token (a hint only).", AllowedValues: ["refresh_token", "access_token"]),
                ClientId,
                ClientSecret,
            ],
            typeof(Ciba.Application.Tokens.Introspect.IntrospectionResponse),
            "The introspection response (RFC 7662 §2.2).",
            OAuthEndpoint.Token,
            [OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidClient, OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable]),
        new(
            "userinfo",
            "t/{org}/oauth2/userinfo",
            "UserInfo (OpenID Connect Core §5.3)",
            "The claims of the person an access token was issued for, as its scopes allow.",
            CallerAuthentication.BearerToken,
            [],
            typeof(UserInfoResponse),
            "The person's claims.",
            OAuthEndpoint.UserInfo,
            [OAuthErrorCodes.InvalidToken, OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable]),
        new(
            "discovery",
            "t/{org}/oauth2/token/.well-known/openid-configuration",
            "OpenID Provider metadata (OpenID Connect Discovery §4, CIBA Core §4)",
            "The organization's issuer, endpoints and what they support. The issuer is {origin}/t/{org}/oauth2/token.",
            CallerAuthentication.None,
            [],
            typeof(DiscoveryDocument),
            "The provider metadata.",
            OAuthEndpoint.Token,
            [OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable]),
        new(
            "jwks",
            "t/{org}/oauth2/jwks",
            "Signing keys (RFC 7517)",
            "The public keys that verify the organization's ID tokens and access tokens; every key has a kid.",
            CallerAuthentication.None,
            [],
            typeof(JsonWebKeySetDocument),
            "The JWK Set.",
            OAuthEndpoint.Token,
            [OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable]),
    ];

    private static readonly Dictionary<string, ProtocolEndpointDescription> ByRouteTemplate =
        All.ToDictionary(e => e.RouteTemplate, StringComparer.Ordinal);

    /// <summary>The endpoint served on <paramref name="routeTemplate"/> (as written in its route attribute, without a leading slash), if it is a protocol endpoint.</summary>
    public static ProtocolEndpointDescription? Find(string routeTemplate) =>
        ByRouteTemplate.GetValueOrDefault(routeTemplate.TrimStart('/'));
}
