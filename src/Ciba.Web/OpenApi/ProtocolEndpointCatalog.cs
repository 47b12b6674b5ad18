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

    /// <summary><c>client_secret_basic</c>, <c>client_secret_post</c> or <c>private_key_jwt</c> (product.md §3, §10).</summary>
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
    IReadOnlyList<string> ErrorCodes)
{
    /// <summary>Under the application's rate limit (ADR 0026): may answer 429.</summary>
    public bool RateLimited { get; init; }
}

public static class ProtocolEndpointCatalog
{
    private static readonly FormField ClientId = new("client_id", "The client id, with client_secret_post (with client_secret_basic it is in the Authorization header).");
    private static readonly FormField ClientSecret = new("client_secret", "The client secret, with client_secret_post only.");
    private static readonly FormField ClientAssertionType = new(
        "client_assertion_type", "With private_key_jwt: urn:ietf:params:oauth:client-assertion-type:jwt-bearer.", AllowedValues: ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]);
    private static readonly FormField ClientAssertion = new(
        "client_assertion", "With private_key_jwt: a JWT (PS256, ES256 or RS256) signed by a key of the client; iss = sub = client id, aud the issuer, exp at most 5 minutes ahead, a single-use jti.");

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
                new("login_hint_token", "A JWT signed (RS256, PS256 or ES256) by an issuer the organization trusts, with exp and an RFC 9493 sub_id (email, phone_number, iss_sub, opaque) naming the person."),
                new("user_code", "The person's user code (PIN): required when the application is set to require it; checked whenever the person has one."),
                new("binding_message", "Shown on the person's phone; up to 64 printable characters, no control characters, no < or >."),
                new("requested_expiry", "Seconds the request may stay open (a positive integer); the application's expiry caps it."),
                new("notification_channel", "The one channel to use; it must be enabled for the application and able to reach the person.", AllowedValues: ["email", "sms", "external"]),
                new("acr_values", "Space-separated authentication context classes in order of preference (urn:ciba:acr:pwd, urn:ciba:acr:mfa, urn:ciba:acr:phr); unknown values are ignored. The ID token's acr says which was achieved."),
                new("client_notification_token", "Required for ping and push clients: up to 1024 characters of b64token syntax, echoed as the callback's Bearer token."),
                new("request", "A signed authentication request (CIBA Core §7.1.1): every parameter above as a claim of a JWT signed by a key of the client, with aud (the issuer), iss, exp, iat, nbf and jti; then no other authentication request parameter may be in the form."),
                ClientId,
                ClientSecret,
                ClientAssertionType,
                ClientAssertion,
            ],
            typeof(BackchannelAuthenticationResponse),
            "The authentication request acknowledgement (CIBA Core §7.3).",
            OAuthEndpoint.Backchannel,
            [
                OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidClient, OAuthErrorCodes.UnauthorizedClient, OAuthErrorCodes.InvalidScope,
                OAuthErrorCodes.InvalidTarget, OAuthErrorCodes.UnknownUserId, OAuthErrorCodes.InvalidBindingMessage, OAuthErrorCodes.ExpiredLoginHintToken,
                OAuthErrorCodes.MissingUserCode, OAuthErrorCodes.InvalidUserCode, OAuthErrorCodes.AccessDenied, OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable,
            ]) { RateLimited = true },
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
                ClientAssertionType,
                ClientAssertion,
            ],
            typeof(TokenResponse),
            "The tokens (CIBA Core §10.1.1): an access token (JWT, typ at+jwt) and an ID token.",
            OAuthEndpoint.Token,
            [
                OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidClient, OAuthErrorCodes.UnauthorizedClient, OAuthErrorCodes.UnsupportedGrantType,
                OAuthErrorCodes.InvalidGrant, OAuthErrorCodes.ExpiredToken, OAuthErrorCodes.AccessDenied, OAuthErrorCodes.SlowDown,
                OAuthErrorCodes.AuthorizationPending, OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable,
            ]) { RateLimited = true },
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
            [OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidClient, OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable]) { RateLimited = true },
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
            [OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidClient, OAuthErrorCodes.ServerError, OAuthErrorCodes.TemporarilyUnavailable]) { RateLimited = true },
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
            "authorization-server-metadata",
            ".well-known/oauth-authorization-server/t/{org}/oauth2/token",
            "Authorization server metadata (RFC 8414 §3)",
            "The same metadata as the OpenID discovery document, at the RFC 8414 location: the well-known suffix between the host and the issuer's path /t/{org}/oauth2/token.",
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
            "The public keys that verify the organization's ID tokens and access tokens: a current key for each of RS256, PS256 and ES256 (plus those still valid), each with kid, alg and use.",
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
