using System.Data.Common;
using System.Security.Cryptography;
using Ciba.Application.Tokens;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Infrastructure.Tokens;

/// <summary>
/// The signing keys of every node, read from the database once and kept in memory. The first node
/// to start with no active key creates one under an advisory lock, so nodes never race to create
/// two. The ring is re-read in the background every few minutes to pick up keys added elsewhere.
/// </summary>
public sealed partial class SigningKeyRing(
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    ILogger<SigningKeyRing> logger) : IDisposable
{
    public const string Algorithm = SecurityAlgorithms.RsaSha256;
    private const int KeySizeInBits = 2048;
    private const long CreationLockId = 0x43_69_62_61_4B_65_79; // "CibaKey"
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Ciba.SigningKeys.v1");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LoadedSigningKeys? _keys;
    private int _refreshing;

    public async ValueTask<LoadedSigningKeys> GetAsync(CancellationToken cancellationToken)
    {
        var keys = Volatile.Read(ref _keys);
        if (keys is not null)
        {
            if (time.GetUtcNow() - keys.LoadedAt > RefreshAfter && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
            {
                _ = RefreshInBackgroundAsync();
            }

            return keys;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            keys = _keys ?? await LoadOrCreateAsync(cancellationToken);
            Volatile.Write(ref _keys, keys);
            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            var keys = await LoadOrCreateAsync(CancellationToken.None);
            Volatile.Write(ref _keys, keys);
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or CryptographicException)
        {
            LogRefreshFailed(logger, exception);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private async Task<LoadedSigningKeys> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var stored = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
        if (!stored.Any(k => k.RetiredAt is null))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CreationLockId})", cancellationToken);
            stored = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
            if (!stored.Any(k => k.RetiredAt is null))
            {
                var created = CreateKey();
                db.SigningKeys.Add(created);
                await db.SaveChangesAsync(cancellationToken);
                stored.Add(created);
                LogKeyCreated(logger, created.KeyId);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var loaded = stored
            .Where(k => k.Algorithm == Algorithm)
            .OrderByDescending(k => k.CreatedAt)
            .Select(Load)
            .ToList();
        return new LoadedSigningKeys(loaded, time.GetUtcNow());
    }

    private SigningKey CreateKey()
    {
        using var rsa = RSA.Create(KeySizeInBits);
        var publicKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
        var keyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(publicKey).ComputeJwkThumbprint());
        return new SigningKey
        {
            KeyId = keyId,
            Algorithm = Algorithm,
            ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = time.GetUtcNow(),
        };
    }

    private LoadedSigningKey Load(SigningKey stored)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(_protector.Unprotect(Convert.FromBase64String(stored.ProtectedPrivateKey)), out _);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var key = new RsaSecurityKey(rsa) { KeyId = stored.KeyId };
        var publicKey = new PublicSigningKey(stored.KeyId, "RS256", Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent));
        return new LoadedSigningKey(stored.KeyId, key, new SigningCredentials(key, Algorithm), publicKey, stored.RetiredAt is null);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Created signing key {KeyId}.")]
    private static partial void LogKeyCreated(ILogger logger, string keyId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Re-reading the signing keys failed; the cached keys stay in use.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}

public sealed record LoadedSigningKey(string KeyId, RsaSecurityKey Key, SigningCredentials Credentials, PublicSigningKey PublicKey, bool IsActive);

/// <summary>A snapshot of the ring: every published key, newest first, and the one that signs.</summary>
public sealed class LoadedSigningKeys
{
    public LoadedSigningKeys(IReadOnlyList<LoadedSigningKey> keys, DateTimeOffset loadedAt)
    {
        Keys = keys;
        LoadedAt = loadedAt;
        Current = keys.FirstOrDefault(k => k.IsActive) ?? throw new InvalidOperationException("No active signing key.");
        ValidationKeys = keys.Select(k => (SecurityKey)k.Key).ToList();
        PublicKeys = keys.Select(k => k.PublicKey).ToList();
    }

    public IReadOnlyList<LoadedSigningKey> Keys { get; }

    public LoadedSigningKey Current { get; }

    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    public IReadOnlyList<PublicSigningKey> PublicKeys { get; }

    public DateTimeOffset LoadedAt { get; }
}
