using Ciba.Application.Backchannel.Redeem;
using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Common.Telemetry;
using Ciba.Domain.Applications;
using Ciba.Web.Organizations;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Protocol.Token;

/// <summary>The token endpoint with the CIBA grant (CIBA Core §10.1, §11; product.md §6).</summary>
[IgnoreAntiforgeryToken]
[OAuthExceptionFilter]
public sealed partial class TokenController(IMediator mediator, IClientAuthenticator authenticator, CibaMetrics metrics, ILogger<TokenController> logger) : ControllerBase
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
            return Refuse(null, formError!, challenge: false);
        }

        var (credentials, credentialsError) = ClientAuthentication.Read(Request, form);
        var challenge = ClientAuthentication.ShouldChallenge(Request, credentials);
        if (credentialsError is not null)
        {
            return Refuse(null, credentialsError, challenge);
        }

        if (await Protection.ApplicationRateLimit.CheckAsync(HttpContext, organization, credentials!.ClientId) is { } limited)
        {
            return limited;
        }

        var grantType = form["grant_type"];
        if (grantType == GrantTypes.RefreshToken)
        {
            return await RefreshAsync(organization, form, cancellationToken);
        }

        if (grantType != GrantTypes.Ciba)
        {
            return await RefuseGrantTypeAsync(organization, form, grantType, cancellationToken);
        }

        // The client is authenticated with the poll's own lookup; its errors come first all the same.
        var result = await mediator.Send(new RedeemBackchannelGrantCommand(organization, credentials!, form["auth_req_id"]), cancellationToken);
        metrics.PollAnswered(result.IsSuccess ? CibaMetrics.PollOutcomes.Issued : result.Error.Code);
        if (!result.IsSuccess)
        {
            var clientId = result.Error.Code == OAuthErrorCodes.InvalidClient ? null : credentials!.ClientId;
            return Refuse(clientId, result.Error, challenge);
        }

        ProtocolLog.TokensIssued(logger, credentials!.ClientId!);

        // CIBA Core §10.1.1
        return new ProtocolJsonResult<TokenResponse>(result.Value, ProtocolJsonContext.Default.TokenResponse);
    }

    private async Task<IActionResult> RefuseGrantTypeAsync(
        OrganizationSummary organization, ProtocolForm form, string? grantType, CancellationToken cancellationToken)
    {
        var (client, failure) = await ClientAuthentication.AuthenticateAsync(authenticator, organization, Request, form, cancellationToken);
        if (client is null)
        {
            return Refuse(null, failure!.Error, failure.Challenge);
        }

        return string.IsNullOrEmpty(grantType)
            ? Refuse(client.ClientId, new Error(OAuthErrorCodes.InvalidRequest, "The grant_type parameter is required."), false)
            : Refuse(client.ClientId, new Error(OAuthErrorCodes.UnsupportedGrantType, "Only the CIBA and refresh_token grants are supported."), false);
    }

    private IActionResult Refuse(string? clientId, Error error, bool challenge)
    {
        ProtocolLog.TokenRequestAnswered(logger, clientId, error.Code);
        return OAuthErrorResults.For(error, OAuthEndpoint.Token, challenge);
    }
}
