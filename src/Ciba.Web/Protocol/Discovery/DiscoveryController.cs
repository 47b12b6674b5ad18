using Ciba.Application.Apis;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Tokens;
using Ciba.Domain.Applications;
using Ciba.Web.Organizations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Ciba.Web.Protocol.Discovery;

/// <summary>Discovery (OpenID Connect Discovery §4, RFC 8414 §3) and the JWKS of an organization.</summary>
[OAuthExceptionFilter]
public sealed class DiscoveryController(IOptions<CibaOptions> options, ITokenIssuer tokens, IOrganizationLookup organizations, ApiScopeCatalog apiScopes) : ControllerBase
{
    private static readonly string[] DeliveryModes = ["poll", "ping", "push"];

    // The service has no authorization endpoint, so no front-channel response type is supported.
    private static readonly string[] ResponseTypes = [];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly IReadOnlyList<string> IdTokenSigningAlgorithms = SigningAlgorithms.All;
    private static readonly string[] AuthMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt"];

    // product.md §10: private_key_jwt assertions and signed requests; FAPI prefers PS256 and ES256.
    private static readonly string[] RequestSigningAlgorithms = [SigningAlgorithms.PS256, SigningAlgorithms.ES256, SigningAlgorithms.RS256];
    private static readonly IReadOnlyList<string> SupportedGrantTypes = GrantTypes.Served;

    [HttpGet("t/{org}/oauth2/token/.well-known/openid-configuration")]
    public Task<IActionResult> Configuration() => MetadataAsync(OrganizationRouteMiddleware.Current(HttpContext));

    /// <summary>
    /// RFC 8414 §3: the well-known suffix goes between the host and the issuer's path, so the issuer
    /// <c>{origin}/t/{org}/oauth2/token</c> has its metadata at
    /// <c>{origin}/.well-known/oauth-authorization-server/t/{org}/oauth2/token</c>. The path is outside
    /// <c>/t/{org}</c>, so the organization is looked up here.
    /// </summary>
    [HttpGet(".well-known/oauth-authorization-server/t/{org}/oauth2/token")]
    public async Task<IActionResult> AuthorizationServerMetadata()
    {
        // No action parameters: the handle is read from the route as the organization middleware reads it.
        var handle = HttpContext.GetRouteValue("org") as string;
        var organization = string.IsNullOrEmpty(handle) ? null : await organizations.FindByHandleAsync(handle, HttpContext.RequestAborted);
        return await MetadataAsync(organization);
    }

    private async Task<IActionResult> MetadataAsync(OrganizationSummary? organization)
    {
        var cancellationToken = HttpContext.RequestAborted;
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
            BackchannelUserCodeParameterSupported: true,
            [.. Scopes.Supported, .. await apiScopes.ListValuesAsync(organization.Id, cancellationToken)],
            Scopes.Claims,
            ResponseTypes,
            SubjectTypes,
            IdTokenSigningAlgorithms,
            AuthMethods,
            RequestSigningAlgorithms,
            RequestSigningAlgorithms,
            RequestParameterSupported: true)
        {
            // product.md §13
            RevocationEndpoint = settings.RevocationEndpoint(handle),
            RevocationEndpointAuthMethodsSupported = AuthMethods,
            IntrospectionEndpoint = settings.IntrospectionEndpoint(handle),
            IntrospectionEndpointAuthMethodsSupported = AuthMethods,

            // product.md §16
            AcrValuesSupported = Domain.Authentication.AcrLevels.Supported,
        };
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
        var document = new JsonWebKeySetDocument(keys
            .OrderBy(k => IndexOf(k.Algorithm))
            .Select(k => new JsonWebKeyDocument(k.KeyType, "sig", k.Algorithm, k.KeyId, k.Modulus, k.Exponent, k.Curve, k.X, k.Y))
            .ToList());
        return new ProtocolJsonResult<JsonWebKeySetDocument>(document, ProtocolJsonContext.Default.JsonWebKeySetDocument, noStore: false);
    }

    private static int IndexOf(string algorithm)
    {
        for (var i = 0; i < SigningAlgorithms.All.Count; i++)
        {
            if (SigningAlgorithms.All[i] == algorithm)
            {
                return i;
            }
        }

        return int.MaxValue;
    }
}
