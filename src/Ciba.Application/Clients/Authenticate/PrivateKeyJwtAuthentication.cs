using Ciba.Application.Clients.Keys;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Options;
using Ciba.Application.Common.Protocol;
using Ciba.Domain.Applications;
using Microsoft.Extensions.Options;

namespace Ciba.Application.Clients.Authenticate;

/// <summary>
/// <c>private_key_jwt</c> (RFC 7523 §3, OpenID Connect Core §9, product.md §10): a JWT signed by a
/// key of the client, with <c>iss</c> = <c>sub</c> = client id, an <c>aud</c> naming this
/// organization (CIBA Core §7.1: issuer, token endpoint or backchannel endpoint), an <c>exp</c> at
/// most five minutes ahead, <c>iat</c>/<c>nbf</c> not in the future (60 s skew) and a <c>jti</c>
/// used once until <c>exp</c>.
/// </summary>
internal sealed class PrivateKeyJwtAuthentication(
    IClientJwtValidator validator, IUsedJwtIds usedIds, IOptions<CibaOptions> options, TimeProvider time) : IClientAuthenticationMethod
{
    public const int MaxAssertionLength = 8 * 1024;
    public const int MaxJtiLength = 200;
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    public ClientAuthenticationMethod Method => ClientAuthenticationMethod.PrivateKeyJwt;

    public bool IsComplete(ClientCredentials credentials) =>
        credentials.ClientAssertion is { Length: > 0 and <= MaxAssertionLength } assertion && !ControlCharacters.Contains(assertion);

    public async ValueTask<bool> VerifyAsync(
        OrganizationSummary organization, ClientCredentials credentials, ClientApplication application, CancellationToken cancellationToken)
    {
        var jwt = await validator.ValidateAsync(application, credentials.ClientAssertion!, cancellationToken);
        if (jwt is null || jwt.Text("iss") != application.ClientId || jwt.Text("sub") != application.ClientId)
        {
            return false;
        }

        var accepted = new[]
        {
            options.Value.Issuer(organization.Handle),
            options.Value.TokenEndpoint(organization.Handle),
            options.Value.BackchannelAuthenticationEndpoint(organization.Handle),
        };
        if (!jwt.Audiences().Any(accepted.Contains))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var expiresAt = jwt.Time("exp");
        var jti = jwt.Text("jti");
        if (expiresAt is null || expiresAt <= now - Skew || expiresAt > now + MaxLifetime + Skew
            || !NotInFuture(jwt, "iat", now) || !NotInFuture(jwt, "nbf", now)
            || jti is not { Length: > 0 and <= MaxJtiLength })
        {
            return false;
        }

        return await usedIds.TryUseAsync(application.Id, "client_assertion:" + jti, expiresAt.Value + Skew, cancellationToken);
    }

    /// <summary>An optional time claim: absent, or a number not later than now (with the skew).</summary>
    internal static bool NotInFuture(ClientJwt jwt, string claim, DateTimeOffset now) =>
        !jwt.Has(claim) || (jwt.Time(claim) is { } value && value <= now + Skew);
}
