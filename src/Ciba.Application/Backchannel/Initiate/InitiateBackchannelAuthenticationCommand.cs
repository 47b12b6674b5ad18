using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>
/// A backchannel authentication request (CIBA Core §7.1) from an authenticated client. The
/// parameters are the raw form values; the validator and the handler decide what they mean.
/// </summary>
public sealed record InitiateBackchannelAuthenticationCommand(
    OrganizationSummary Organization,
    AuthenticatedClient Client,
    string? Scope,
    string? LoginHint,
    string? IdTokenHint,
    string? LoginHintToken,
    string? BindingMessage,
    string? RequestedExpiry,
    string? NotificationChannel) : IRequest<Result<BackchannelAuthenticationResponse>>;

/// <summary>The acknowledgement (CIBA Core §7.3).</summary>
/// <param name="AuthUrl">The link for the client to deliver, when the external channel is used.</param>
public sealed record BackchannelAuthenticationResponse(string AuthReqId, int ExpiresIn, int Interval, string? AuthUrl);
