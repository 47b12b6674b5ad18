using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Tokens.Introspect;
using Ciba.Application.Tokens.Revoke;
using Ciba.Web.Organizations;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Protocol.Tokens;

/// <summary>
/// Revocation (RFC 7009) and introspection (RFC 7662) of the organization's tokens (product.md §13),
/// with the same client authentication as the token endpoint. A client acts on its own tokens only.
/// </summary>
[IgnoreAntiforgeryToken]
[OAuthExceptionFilter]
public sealed class TokenLifecycleController(IMediator mediator, IClientAuthenticator authenticator, ILogger<TokenLifecycleController> logger) : ControllerBase
{
    public const string RevocationRoute = "t/{org}/oauth2/revoke";
    public const string IntrospectionRoute = "t/{org}/oauth2/introspect";

    [HttpPost(RevocationRoute)]
    public async Task<IActionResult> Revoke()
    {
        // No action parameters: MVC would otherwise read the form itself before ProtocolForm can.
        var (organization, form, client, refusal) = await AuthenticateAsync();
        if (refusal is not null)
        {
            return refusal;
        }

        var result = await mediator.Send(new RevokeTokenCommand(organization!, client!, form!["token"], form["token_type_hint"]), HttpContext.RequestAborted);
        if (!result.IsSuccess)
        {
            return Refuse(client!.ClientId, result.Error);
        }

        ProtocolLog.RevocationAnswered(logger, client!.ClientId);

        // RFC 7009 §2.2: 200 with an empty body, whether or not the token was known.
        ProtocolHeaders.NoStore(Response);
        return Ok();
    }

    [HttpPost(IntrospectionRoute)]
    public async Task<IActionResult> Introspect()
    {
        var (organization, form, client, refusal) = await AuthenticateAsync();
        if (refusal is not null)
        {
            return refusal;
        }

        var result = await mediator.Send(new IntrospectTokenQuery(organization!, client!, form!["token"], form["token_type_hint"]), HttpContext.RequestAborted);
        if (!result.IsSuccess)
        {
            return Refuse(client!.ClientId, result.Error);
        }

        // RFC 7662 §2.2
        return new ProtocolJsonResult<IntrospectionResponse>(result.Value, ProtocolJsonContext.Default.IntrospectionResponse);
    }

    private async Task<(OrganizationSummary? Organization, ProtocolForm? Form, Application.Clients.Authenticate.AuthenticatedClient? Client, IActionResult? Refusal)> AuthenticateAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var organization = OrganizationRouteMiddleware.Current(HttpContext);
        if (organization is null)
        {
            return (null, null, null, NotFound());
        }

        var (form, formError) = await ProtocolForm.ReadAsync(Request, cancellationToken);
        if (form is null)
        {
            return (null, null, null, Refuse(null, formError!));
        }

        var (presented, presentedError) = ClientAuthentication.Read(Request, form);
        if (presentedError is null && await Protection.ApplicationRateLimit.CheckAsync(HttpContext, organization, presented?.ClientId) is { } limited)
        {
            return (null, null, null, limited);
        }

        var (client, failure) = await ClientAuthentication.AuthenticateAsync(authenticator, organization, Request, form, cancellationToken);
        return client is null
            ? (null, null, null, Refuse(null, failure!.Error, failure.Challenge))
            : (organization, form, client, null);
    }

    private IActionResult Refuse(string? clientId, Application.Common.Results.Error error, bool challenge = false)
    {
        ProtocolLog.TokenRequestAnswered(logger, clientId, error.Code);
        return OAuthErrorResults.For(error, OAuthEndpoint.Token, challenge);
    }
}
