using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Results;
using Ciba.Web.Organizations;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Protocol.Backchannel;

/// <summary>The backchannel authentication endpoint (CIBA Core §7; product.md §3).</summary>
[IgnoreAntiforgeryToken]
[OAuthExceptionFilter]
public sealed class BackchannelAuthenticationController(IMediator mediator, ILogger<BackchannelAuthenticationController> logger) : ControllerBase
{
    /// <summary>CIBA Core §7.1.1: beside <c>request</c>, only the client's authentication stays in the form.</summary>
    private static readonly HashSet<string> SignedRequestFormParameters = new(StringComparer.Ordinal)
    {
        "request", "client_id", "client_secret", "client_assertion", "client_assertion_type",
    };

    [HttpPost("t/{org}/oauth2/ciba")]
    public async Task<IActionResult> Initiate()
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
            ProtocolLog.BackchannelRefused(logger, null, formError!.Code);
            return OAuthErrorResults.For(formError!, OAuthEndpoint.Backchannel);
        }

        var (credentials, credentialsError) = ClientAuthentication.Read(Request, form);
        var challenge = ClientAuthentication.ShouldChallenge(Request, credentials);
        if (credentialsError is not null)
        {
            ProtocolLog.BackchannelRefused(logger, null, credentialsError.Code);
            return OAuthErrorResults.For(credentialsError, OAuthEndpoint.Backchannel, challenge);
        }

        if (await Protection.ApplicationRateLimit.CheckAsync(HttpContext, organization, credentials!.ClientId) is { } limited)
        {
            return limited;
        }

        // The client is authenticated with the request's own lookup; its errors come first all the same.
        var result = await mediator.Send(
            new InitiateBackchannelAuthenticationCommand(
                organization,
                credentials!,
                new BackchannelRequestParameters(
                    form["scope"],
                    form["login_hint"],
                    form["id_token_hint"],
                    form["login_hint_token"],
                    form["binding_message"],
                    form["requested_expiry"],
                    form["notification_channel"],
                    form["client_notification_token"]) { Resource = form["resource"], UserCode = form["user_code"], AcrValues = form["acr_values"] },
                form["request"],
                form["request"] is not null && form.Names.Any(name => !SignedRequestFormParameters.Contains(name))),
            cancellationToken);
        if (!result.IsSuccess)
        {
            var invalidClient = result.Error.Code == OAuthErrorCodes.InvalidClient;
            ProtocolLog.BackchannelRefused(logger, invalidClient ? null : credentials!.ClientId, result.Error.Code);
            return OAuthErrorResults.For(result.Error, OAuthEndpoint.Backchannel, invalidClient && challenge);
        }

        ProtocolLog.BackchannelAccepted(logger, credentials!.ClientId!, result.Value.ExpiresIn, result.Value.AuthUrl is not null);

        // CIBA Core §7.3
        return new ProtocolJsonResult<BackchannelAuthenticationResponse>(result.Value, ProtocolJsonContext.Default.BackchannelAuthenticationResponse);
    }
}
