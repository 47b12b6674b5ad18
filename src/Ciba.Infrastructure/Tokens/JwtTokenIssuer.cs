using Ciba.Application.Common.Security;
using Ciba.Application.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Infrastructure.Tokens;

/// <summary>Issues an RFC 9068 access token and an ID token (OpenID Connect Core §2), both RS256 with the organization's current key.</summary>
public sealed class JwtTokenIssuer(SigningKeyRing ring, TimeProvider time) : ITokenIssuer
{
    public const int AccessTokenLifetimeSeconds = 3600;
    public const int IdTokenLifetimeSeconds = 3600;
    public const string AccessTokenType = "at+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private static readonly string[] PasswordAmr = ["pwd"];

    public async ValueTask<IssuedTokens> IssueAsync(TokenGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var keys = await ring.GetAsync(grant.OrganizationId, cancellationToken);
        var signing = keys.Current(time.GetUtcNow()).Credentials;
        var issuedAt = grant.IssuedAt.UtcDateTime;
        var subject = grant.UserId.ToString();
        var authTime = grant.AuthenticatedAt.ToUnixTimeSeconds();

        // RFC 9068 §2.2
        var accessToken = Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = AccessTokenType,
            Issuer = grant.Issuer,
            Audience = grant.Audience,
            IssuedAt = issuedAt,
            Expires = issuedAt.AddSeconds(AccessTokenLifetimeSeconds),
            SigningCredentials = signing,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                ["client_id"] = grant.ClientId,
                [JwtRegisteredClaimNames.Jti] = RandomTokens.Create(),
                ["scope"] = grant.Scope,
                [JwtRegisteredClaimNames.AuthTime] = authTime,
            },
        });

        // OpenID Connect Core §2; CIBA Core §10.1.1: no nonce, c_hash or s_hash.
        var idTokenClaims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            [JwtRegisteredClaimNames.AuthTime] = authTime,
            [JwtRegisteredClaimNames.Amr] = PasswordAmr,
        };
        PushTokenBinding.AddClaims(idTokenClaims, grant.AuthReqId, accessToken, signing.Algorithm);
        var idToken = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = grant.Issuer,
            Audience = grant.ClientId,
            IssuedAt = issuedAt,
            Expires = issuedAt.AddSeconds(IdTokenLifetimeSeconds),
            SigningCredentials = signing,
            Claims = idTokenClaims,
        });

        return new IssuedTokens(accessToken, idToken, AccessTokenLifetimeSeconds);
    }

    public async ValueTask<IReadOnlyList<PublicSigningKey>> GetPublicKeysAsync(Guid organizationId, CancellationToken cancellationToken) =>
        (await ring.GetAsync(organizationId, cancellationToken)).Published(time.GetUtcNow()).Select(k => k.PublicKey).ToList();
}
