using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// A backchannel authentication request (CIBA Core §7.1) with the client's credentials and the
/// request's parameters as the form carried them. The handler authenticates the client, then
/// <see cref="BackchannelRequestValidator"/> turns the parameters into one
/// <see cref="ValidatedBackchannelRequest"/>, which is all the rest of the handler reads. With a
/// signed request (<paramref name="SignedRequest"/>), the parameters are the JWT's claims instead.
/// </summary>
/// <param name="SignedRequest">The <c>request</c> parameter (CIBA Core §7.1.1), if sent.</param>
/// <param name="ParametersOutsideSignedRequest">Whether the form carried parameters other than the client's authentication beside <c>request</c>.</param>
public sealed record InitiateBackchannelAuthenticationCommand(
    OrganizationSummary Organization,
    ClientCredentials Credentials,
    BackchannelRequestParameters Parameters,
    string? SignedRequest = null,
    bool ParametersOutsideSignedRequest = false) : IRequest<Result<BackchannelAuthenticationResponse>>;

/// <summary>The authentication request's parameters as sent (CIBA Core §7.1), not yet checked.</summary>
public sealed record BackchannelRequestParameters(
    string? Scope,
    string? LoginHint,
    string? IdTokenHint,
    string? LoginHintToken,
    string? BindingMessage,
    string? RequestedExpiry,
    string? NotificationChannel,
    string? ClientNotificationToken = null)
{
    /// <summary>The login hint the request's one lookup searches for (null when absent or empty).</summary>
    public string? LoginHintToLookUp => string.IsNullOrEmpty(LoginHint) ? null : LoginHint;

    /// <summary>RFC 8707 <c>resource</c>: the API the access token is for (product.md §13).</summary>
    public string? Resource { get; init; }

    /// <summary>CIBA Core §7.1 <c>user_code</c>: the person's PIN, checked by <see cref="UserCodeCheck"/>.</summary>
    public string? UserCode { get; init; }
    /// <summary>OpenID Connect Core §3.1.2.1 <c>acr_values</c>, space-separated in order of preference (product.md §12).</summary>
    public string? AcrValues { get; init; }
}

/// <summary>The acknowledgement (CIBA Core §7.3).</summary>
/// <param name="AuthUrl">The link for the client to deliver, when the external channel is used.</param>
public sealed record BackchannelAuthenticationResponse(string AuthReqId, int ExpiresIn, int Interval, string? AuthUrl);
