using Ciba.Application.Backchannel.Redeem;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;
using Ciba.Web.Organizations;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Protocol.Token;

/// <summary>The token endpoint with the CIBA grant (CIBA Core §10.1, §11; product.md §6).</summary>
[IgnoreAntiforgeryToken]
[OAuthExceptionFilter]
public sealed class TokenController(IMediator mediator, ILogger<TokenController> logger) : ControllerBase
{
    [HttpPost("t/{org}/oauth2/token")]
    public async Task<IActionResult> Exchange()
    {
        // No action parameters: MVC would otherwise read the form itself before ProtocolForm can.
        var cancellationToken = HttpContext.RequestAborted;
        var organization = OrganizationRouteMiddleware.Current(HttpContext);
        if (organization is null)
        {
            return NotFound();
        }

        var (form, formError) = await ProtocolForm.ReadAsync(Request, cancellationToken);
        if (form is null)
        {
            return Refuse(null, formError!, basicAttempted: false);
        }

        var (client, failure) = await ClientAuthentication.AuthenticateAsync(mediator, organization, Request, form, cancellationToken);
        if (client is null)
        {
            return Refuse(null, failure!.Error, failure.BasicAttempted);
        }

        var grantType = form["grant_type"];
        if (string.IsNullOrEmpty(grantType))
        {
            return Refuse(client.ClientId, new Error(OAuthErrorCodes.InvalidRequest, "The grant_type parameter is required."), false);
        }

        if (grantType != GrantTypes.Ciba)
        {
            return Refuse(client.ClientId, new Error(OAuthErrorCodes.UnsupportedGrantType, "Only the CIBA grant is supported."), false);
        }

        var result = await mediator.Send(new RedeemBackchannelGrantCommand(organization, client, form["auth_req_id"]), cancellationToken);
        if (!result.IsSuccess)
        {
            return Refuse(client.ClientId, result.Error, false);
        }

        ProtocolLog.TokensIssued(logger, client.ClientId);

        // CIBA Core §10.1.1
        return new ProtocolJsonResult<TokenResponse>(result.Value, ProtocolJsonContext.Default.TokenResponse);
    }

    private IActionResult Refuse(string? clientId, Error error, bool basicAttempted)
    {
        ProtocolLog.TokenRequestAnswered(logger, clientId, error.Code);
        return OAuthErrorResults.For(error, OAuthEndpoint.Token, basicAttempted);
    }
}
