using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// A backchannel authentication request (CIBA Core §7.1) with the client's credentials. The
/// parameters are the raw form values; the handler authenticates the client, then the validator
/// and the handler decide what the parameters mean.
/// </summary>
public sealed record InitiateBackchannelAuthenticationCommand(
    OrganizationSummary Organization,
    ClientCredentials Credentials,
    string? Scope,
    string? LoginHint,
    string? IdTokenHint,
    string? LoginHintToken,
    string? BindingMessage,
    string? RequestedExpiry,
    string? NotificationChannel,
    string? ClientNotificationToken = null) : IRequest<Result<BackchannelAuthenticationResponse>>;

/// <summary>The acknowledgement (CIBA Core §7.3).</summary>
/// <param name="AuthUrl">The link for the client to deliver, when the external channel is used.</param>
public sealed record BackchannelAuthenticationResponse(string AuthReqId, int ExpiresIn, int Interval, string? AuthUrl);

/// <summary>What the validator checks: the authenticated client and the request's parameters.</summary>
internal sealed record AuthenticatedBackchannelRequest(AuthenticatedClient Client, InitiateBackchannelAuthenticationCommand Request);
