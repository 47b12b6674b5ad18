using Ciba.Application.Common.Interfaces;
using Ciba.Application.Tokens.Refresh;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Protocol.Token;

/// <summary>The token endpoint with <c>grant_type=refresh_token</c> (RFC 6749 §6; product.md §13).</summary>
public sealed partial class TokenController
{
    private async Task<IActionResult> RefreshAsync(OrganizationSummary organization, ProtocolForm form, CancellationToken cancellationToken)
    {
        var (client, failure) = await ClientAuthentication.AuthenticateAsync(authenticator, organization, Request, form, cancellationToken);
        if (client is null)
        {
            return Refuse(null, failure!.Error, failure.Challenge);
        }

        var result = await mediator.Send(new RefreshTokenGrantCommand(organization, client, form["refresh_token"], form["scope"]), cancellationToken);
        if (!result.IsSuccess)
        {
            return Refuse(client.ClientId, result.Error, false);
        }

        ProtocolLog.TokensRefreshed(logger, client.ClientId);
        return new ProtocolJsonResult<Application.Backchannel.Redeem.TokenResponse>(result.Value, ProtocolJsonContext.Default.TokenResponse);
    }
}
