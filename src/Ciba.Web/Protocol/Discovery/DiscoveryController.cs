using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Tokens;
using Ciba.Domain.Applications;
using Ciba.Web.Organizations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Ciba.Web.Protocol.Discovery;

/// <summary>Discovery (OpenID Connect Discovery §4) and the JWKS of an organization.</summary>
[OAuthExceptionFilter]
public sealed class DiscoveryController(IOptions<CibaOptions> options, ITokenIssuer tokens) : ControllerBase
{
    private static readonly string[] DeliveryModes = ["poll", "ping", "push"];

    // The service has no authorization endpoint, so no front-channel response type is supported.
    private static readonly string[] ResponseTypes = [];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly string[] SigningAlgorithms = ["RS256"];
    private static readonly string[] AuthMethods = ["client_secret_basic", "client_secret_post"];
    private static readonly IReadOnlyList<string> SupportedGrantTypes = GrantTypes.Served;

    [HttpGet("t/{org}/oauth2/token/.well-known/openid-configuration")]
    public IActionResult Configuration()
    {
        var organization = OrganizationRouteMiddleware.Current(HttpContext);
        if (organization is null)
        {
            return NotFound();
        }

        var settings = options.Value;
        var handle = organization.Handle;
        var document = new DiscoveryDocument(
            settings.Issuer(handle),
            settings.BackchannelAuthenticationEndpoint(handle),
            settings.TokenEndpoint(handle),
            settings.JwksUri(handle),
            settings.UserInfoEndpoint(handle),
            SupportedGrantTypes,
            DeliveryModes,
            BackchannelUserCodeParameterSupported: false,
            Scopes.Supported,
            Scopes.Claims,
            ResponseTypes,
            SubjectTypes,
            SigningAlgorithms,
            AuthMethods);
        return new ProtocolJsonResult<DiscoveryDocument>(document, ProtocolJsonContext.Default.DiscoveryDocument, noStore: false);
    }

    [HttpGet("t/{org}/oauth2/jwks")]
    public async Task<IActionResult> Jwks()
    {
        // No action parameters: MVC would otherwise read the form itself before ProtocolForm can.
        var cancellationToken = HttpContext.RequestAborted;
        var organization = OrganizationRouteMiddleware.Current(HttpContext);
        if (organization is null)
        {
            return NotFound();
        }

        var keys = await tokens.GetPublicKeysAsync(organization.Id, cancellationToken);
        var document = new JsonWebKeySetDocument(keys.Select(k => new JsonWebKeyDocument("RSA", "sig", k.Algorithm, k.KeyId, k.Modulus, k.Exponent)).ToList());
        return new ProtocolJsonResult<JsonWebKeySetDocument>(document, ProtocolJsonContext.Default.JsonWebKeySetDocument, noStore: false);
    }
}
