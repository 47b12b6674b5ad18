using System.Text;
using Ciba.Application.Clients.Authenticate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Ciba.Web.Protocol;

/// <summary>
/// The HTTP edge of client authentication: reads the credentials the client presented (RFC 6749
/// §2.3.1: HTTP Basic with form-encoded id and secret, or <c>client_id</c> + <c>client_secret</c> in
/// the body; one method only), decides the Basic challenge, and hands them to
/// <see cref="IClientAuthenticator"/>, which checks them with the one implementation of their method.
/// Every endpoint that authenticates clients goes through here.
/// </summary>
public static class ClientAuthentication
{
    private const int MaxAuthorizationLength = 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads and authenticates the client with its own lookup (for endpoints whose handler does not
    /// read the client in a lookup of its own).
    /// </summary>
    public static async Task<(AuthenticatedClient? Client, ProtocolFailure? Failure)> AuthenticateAsync(
        IClientAuthenticator authenticator, OrganizationSummary organization, HttpRequest request, ProtocolForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticator);
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(form);
        var (credentials, error) = Read(request, form);
        var challenge = ShouldChallenge(request, credentials);
        if (error is not null)
        {
            return (null, new ProtocolFailure(error, challenge));
        }

        var result = await authenticator.AuthenticateAsync(organization, credentials!, cancellationToken);
        return result.IsSuccess ? (result.Value, null) : (null, new ProtocolFailure(result.Error, challenge));
    }

    /// <summary>
    /// Whether an <c>invalid_client</c> answer carries <c>WWW-Authenticate: Basic</c>. RFC 6749 §5.2
    /// requires it whenever the client tried the Authorization header (Basic, malformed Basic, Bearer,
    /// Digest, anything); RFC 7235 §3.1 requires a challenge with every 401, so a client that sent no
    /// credentials at all gets it too. Only a client that authenticated in the body
    /// (<c>client_secret_post</c>) and sent no Authorization header gets none.
    /// </summary>
    public static bool ShouldChallenge(HttpRequest request, ClientCredentials? credentials)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.ContainsKey(HeaderNames.Authorization) || credentials?.Method != ClientAuthenticationMethod.ClientSecretPost;
    }

    public static (ClientCredentials? Credentials, Error? Error) Read(HttpRequest request, ProtocolForm form)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(form);
        var formClientId = form["client_id"];
        var formSecret = form["client_secret"];
        var authorization = request.Headers[HeaderNames.Authorization];
        if (authorization.Count > 1)
        {
            return (null, new Error(OAuthErrorCodes.InvalidRequest, "The Authorization header is repeated."));
        }

        var header = authorization.Count == 1 ? authorization[0] : null;
        if (header is not null && IsBasic(header))
        {
            var basic = ReadBasic(header.AsSpan(5).Trim());
            if (formSecret is not null || (formClientId is not null && formClientId != basic.ClientId))
            {
                return (basic, new Error(OAuthErrorCodes.InvalidRequest, "Use exactly one client authentication method."));
            }

            return (basic, null);
        }

        return formSecret is null
            ? (new ClientCredentials(ClientAuthenticationMethod.None, formClientId, null), null)
            : (new ClientCredentials(ClientAuthenticationMethod.ClientSecretPost, formClientId, formSecret), null);
    }

    private static bool IsBasic(string header) =>
        header.StartsWith("Basic", StringComparison.OrdinalIgnoreCase) && (header.Length == 5 || header[5] == ' ');

    private static ClientCredentials ReadBasic(ReadOnlySpan<char> encoded)
    {
        var failed = new ClientCredentials(ClientAuthenticationMethod.ClientSecretBasic, null, null);
        if (encoded.IsEmpty || encoded.Length > MaxAuthorizationLength)
        {
            return failed;
        }

        Span<byte> bytes = stackalloc byte[MaxAuthorizationLength];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var length))
        {
            return failed;
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes[..length]);
        }
        catch (DecoderFallbackException)
        {
            return failed;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return failed;
        }

        var clientId = FormDecode(decoded[..colon]);
        var secret = FormDecode(decoded[(colon + 1)..]);

        // A NUL or other control character, or a client id outside RFC 6749's syntax: invalid_client, no lookup.
        return !ClientIdSyntax.IsValid(clientId) || secret is null || ControlCharacters.Contains(secret)
            ? failed
            : new ClientCredentials(ClientAuthenticationMethod.ClientSecretBasic, clientId, secret);
    }

    /// <summary>RFC 6749 §2.3.1: the id and secret are form-urlencoded before Base64.</summary>
    private static string? FormDecode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}

/// <summary>A failed protocol step: the error, and whether an <c>invalid_client</c> answer carries a Basic challenge.</summary>
public sealed record ProtocolFailure(Error Error, bool Challenge)
{
    public IActionResult ToResult(OAuthEndpoint endpoint) => OAuthErrorResults.For(Error, endpoint, Challenge);
}
