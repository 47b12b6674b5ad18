using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;

namespace Ciba.Application.Backchannel.Redeem;

/// <summary>
/// A token request with the CIBA grant (CIBA Core §10.1): the client's authentication and one poll
/// of an <c>auth_req_id</c>, answered in that order.
/// </summary>
public sealed record RedeemBackchannelGrantCommand(OrganizationSummary Organization, ClientCredentials Credentials, string? AuthReqId)
    : IRequest<Result<TokenResponse>>;

/// <summary>The successful token response (CIBA Core §10.1.1; OpenID Connect Core §3.1.3.3).</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string IdToken, string Scope)
{
    /// <summary>A refresh token (product.md §13), when the grant comes with one.</summary>
    public string? RefreshToken { get; init; }
}
