using Ciba.Application.Common.Security;
using Ciba.Application.Tokens;
using Ciba.Domain.Applications;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Infrastructure.Tokens;

/// <summary>
/// Issues an RFC 9068 access token, always RS256, and an ID token (OpenID Connect Core §2) with the
/// application's algorithm (RS256, PS256 or ES256), each with the organization's current key of that
/// algorithm (ADR 0023). The JWS header carries the key's <c>kid</c> and <c>alg</c>.
/// </summary>
public sealed class JwtTokenIssuer(SigningKeyRing ring, TimeProvider time) : ITokenIssuer
{
    public const int AccessTokenLifetimeSeconds = AccessTokenGrants.LifetimeSeconds;
    public const int IdTokenLifetimeSeconds = 3600;
    public const string AccessTokenType = "at+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private static readonly string[] PasswordAmr = ["pwd"];

    public async ValueTask<IssuedTokens> IssueAsync(TokenGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var keys = await ring.GetAsync(grant.OrganizationId, cancellationToken);
        var now = time.GetUtcNow();
        var accessTokenSigning = keys.Current(SigningAlgorithms.Default, now).Credentials;
        var idTokenSigning = keys.Current(
            SigningAlgorithms.IsSupported(grant.IdTokenSigningAlgorithm) ? grant.IdTokenSigningAlgorithm : SigningAlgorithms.Default, now).Credentials;
        var issuedAt = grant.IssuedAt.UtcDateTime;
        var subject = grant.UserId.ToString();
        var authTime = grant.AuthenticatedAt.ToUnixTimeSeconds();

        // RFC 9068 §2.2; RFC 8707 §2: several resources are several audiences.
        var accessClaims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            ["client_id"] = grant.ClientId,
            [JwtRegisteredClaimNames.Jti] = RandomTokens.Create(),
            ["scope"] = grant.Scope,
            [JwtRegisteredClaimNames.AuthTime] = authTime,
        };
        if (grant.GrantId is { } grantId)
        {
            accessClaims[AccessTokenGrants.ClaimName] = grantId.ToString("N");
        }

        var audiences = grant.Audiences is { Count: > 0 } list ? list : [grant.Audience];
        if (audiences.Count > 1)
        {
            accessClaims[JwtRegisteredClaimNames.Aud] = audiences.ToArray();
        }

        var accessToken = Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = AccessTokenType,
            Issuer = grant.Issuer,
            Audience = audiences.Count == 1 ? audiences[0] : null,
            IssuedAt = issuedAt,
            Expires = issuedAt.AddSeconds(AccessTokenLifetimeSeconds),
            SigningCredentials = accessTokenSigning,
            Claims = accessClaims,
        });

        var amr = grant.Amr is { Count: > 0 } methods ? methods.ToArray() : PasswordAmr;

        // OpenID Connect Core §2; CIBA Core §10.1.1: no nonce, c_hash or s_hash.
        var idTokenClaims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            [JwtRegisteredClaimNames.AuthTime] = authTime,
            [JwtRegisteredClaimNames.Amr] = amr,
        };
        if ((grant.Acr ?? Domain.Authentication.AcrLevels.Achieved(amr)) is { } acr)
        {
            // OpenID Connect Core §2; product.md §12: the level achieved, whatever was asked.
            idTokenClaims[JwtRegisteredClaimNames.Acr] = acr;
        }

        PushTokenBinding.AddClaims(idTokenClaims, grant.AuthReqId, accessToken, grant.RefreshToken, idTokenSigning.Algorithm);
        var idToken = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = grant.Issuer,
            Audience = grant.ClientId,
            IssuedAt = issuedAt,
            Expires = issuedAt.AddSeconds(IdTokenLifetimeSeconds),
            SigningCredentials = idTokenSigning,
            Claims = idTokenClaims,
        });

        return new IssuedTokens(accessToken, idToken, AccessTokenLifetimeSeconds);
    }

    public async ValueTask<IReadOnlyList<PublicSigningKey>> GetPublicKeysAsync(Guid organizationId, CancellationToken cancellationToken) =>
        (await ring.GetAsync(organizationId, cancellationToken)).Published(time.GetUtcNow()).Select(k => k.PublicKey).ToList();
}
