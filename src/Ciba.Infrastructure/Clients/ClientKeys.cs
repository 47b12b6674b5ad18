using System.Net.Http.Headers;
using Ciba.Domain.Applications;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Infrastructure.Clients;

/// <summary>
/// A client's registered public keys: its pasted JWK Set (parsed once per saved version) or the
/// set at its <c>jwks_uri</c>, fetched through the outbound-safety handler (ADR 0016) and cached
/// for <see cref="UriCacheLifetime"/>. Only public signing keys that fit the JWT's algorithm count.
/// </summary>
internal sealed partial class ClientKeys(IMemoryCache cache, IHttpClientFactory httpClients, ILogger<ClientKeys> logger)
{
    public const string HttpClientName = "client-jwks";
    public const int MaxJwksBytes = 64 * 1024;
    public static readonly TimeSpan UriCacheLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan FailedFetchCacheLifetime = TimeSpan.FromSeconds(30);

    public async ValueTask<IReadOnlyList<SecurityKey>> CandidatesAsync(ClientApplication application, string? kid, string alg, CancellationToken cancellationToken)
    {
        var set = await SetAsync(application, cancellationToken);
        if (set is null)
        {
            return [];
        }

        return [.. set.Keys.Where(key => (string.IsNullOrEmpty(kid) || key.Kid == kid) && Fits(key, alg))];
    }

    /// <summary>The key may verify <paramref name="alg"/>: public, for signing, of the right type (and curve), and of that alg when it names one.</summary>
    public static bool Fits(JsonWebKey key, string alg)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.HasPrivateKey || (!string.IsNullOrEmpty(key.Use) && key.Use != "sig") || (!string.IsNullOrEmpty(key.Alg) && key.Alg != alg))
        {
            return false;
        }

        return alg switch
        {
            SecurityAlgorithms.RsaSsaPssSha256 or SecurityAlgorithms.RsaSha256 => key.Kty == JsonWebAlgorithmsKeyTypes.RSA,
            SecurityAlgorithms.EcdsaSha256 => key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && key.Crv == JsonWebKeyECTypes.P256,
            _ => false,
        };
    }

    private async ValueTask<JsonWebKeySet?> SetAsync(ClientApplication application, CancellationToken cancellationToken)
    {
        if (application.Jwks is not null)
        {
            var key = ("jwks", application.Id, application.UpdatedAt);
            if (!cache.TryGetValue(key, out JsonWebKeySet? parsed))
            {
                parsed = Parse(application.Jwks);
                cache.Set(key, parsed, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10), Size = 1 });
            }

            return parsed;
        }

        if (application.JwksUri is null)
        {
            return null;
        }

        var uriKey = ("jwks_uri", application.Id, application.JwksUri);
        if (cache.TryGetValue(uriKey, out JsonWebKeySet? fetched))
        {
            return fetched;
        }

        fetched = await FetchAsync(application.JwksUri, cancellationToken);
        cache.Set(uriKey, fetched, new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = fetched is null ? FailedFetchCacheLifetime : UriCacheLifetime,
            Size = 1,
        });
        return fetched;
    }

    private async Task<JsonWebKeySet?> FetchAsync(string uri, CancellationToken cancellationToken)
    {
        try
        {
            using var client = httpClients.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxJwksBytes)
            {
                LogFetchFailed(logger, (int)response.StatusCode);
                return null;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxJwksBytes + 1];
            var length = 0;
            int read;
            while (length <= MaxJwksBytes && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }

            return length > MaxJwksBytes ? null : Parse(System.Text.Encoding.UTF8.GetString(buffer, 0, length));
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or Outbound.OutboundAddressRefusedException
            && !cancellationToken.IsCancellationRequested)
        {
            LogFetchFailed(logger, 0);
            return null;
        }
    }

    private static JsonWebKeySet? Parse(string json)
    {
        try
        {
            return new JsonWebKeySet(json);
        }
        catch (Exception exception) when (exception is ArgumentException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "A client's jwks_uri could not be fetched (status {Status}; 0 = no answer or a refused address).")]
    private static partial void LogFetchFailed(ILogger logger, int status);
}
