using Ciba.Application.UserInfo;
using Ciba.Web.Organizations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Ciba.Web.Protocol.UserInfo;

/// <summary>The UserInfo endpoint (OpenID Connect Core §5.3) with a bearer access token (RFC 6750 §2.1).</summary>
[IgnoreAntiforgeryToken]
[OAuthExceptionFilter]
public sealed class UserInfoController(IMediator mediator) : ControllerBase
{
    private const string BearerPrefix = "Bearer ";

    [HttpGet("t/{org}/oauth2/userinfo")]
    [HttpPost("t/{org}/oauth2/userinfo")]
    public async Task<IActionResult> Get()
    {
        // No action parameters: MVC would otherwise read the form itself before ProtocolForm can.
        var cancellationToken = HttpContext.RequestAborted;
        var organization = OrganizationRouteMiddleware.Current(HttpContext);
        if (organization is null)
        {
            return NotFound();
        }

        var authorization = Request.Headers[HeaderNames.Authorization];
        var token = authorization.Count == 1 && authorization[0] is { } header && header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? header[BearerPrefix.Length..].Trim()
            : null;
        var result = await mediator.Send(new GetUserInfoQuery(organization, token), cancellationToken);
        return result.IsSuccess
            ? new ProtocolJsonResult<UserInfoResponse>(result.Value, ProtocolJsonContext.Default.UserInfoResponse)
            : OAuthErrorResults.For(result.Error, OAuthEndpoint.UserInfo, tokenPresented: !string.IsNullOrEmpty(token));
    }
}
