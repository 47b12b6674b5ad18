using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using Ciba.Application.Tokens;
using Ciba.Domain.Applications;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Infrastructure.Tokens;

/// <summary>
/// The signing keys of each organization (ADR 0015), read from the database and kept in memory for
/// <see cref="SigningKeyOptions.CacheDuration"/>; a stale copy is served while it is re-read in the
/// background. Each organization has keys for every algorithm of <see cref="SigningAlgorithms.All"/>
/// (ADR 0023): one RSA key for RS256, another for PS256, a P-256 key for ES256, each rotating on the
/// same schedule. An organization's first key of an algorithm is made on first use, and rotations
/// happen, under a PostgreSQL advisory lock per organization, so nodes never race to make two.
/// </summary>
public sealed partial class SigningKeyRing(
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    IOptions<SigningKeyOptions> options,
    ILogger<SigningKeyRing> logger) : ISigningKeyAdministration, IDisposable
{
    /// <summary>How long a retired key stays published: the longest token lifetime plus clock skew.</summary>
    public static readonly TimeSpan PublishedAfterRetirement =
        TimeSpan.FromSeconds(Math.Max(JwtTokenIssuer.AccessTokenLifetimeSeconds, JwtTokenIssuer.IdTokenLifetimeSeconds)) + TimeSpan.FromMinutes(5);

    /// <summary>How long a retired key is kept (unpublished) to verify expired ID tokens used as hints.</summary>
    public static readonly TimeSpan KeptAfterRetirement =
        TimeSpan.FromSeconds(JwtTokenIssuer.IdTokenLifetimeSeconds) + IdTokenHint.MaxAgePastExpiry + TimeSpan.FromMinutes(5);

    private const int KeySizeInBits = 2048;
    private const int LockClass = 0x43_4B_65_79; // "CKey"

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Ciba.SigningKeys.v1");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<Guid, LoadedSigningKeys> _cache = new();
    private readonly ConcurrentDictionary<Guid, byte> _refreshing = new();

    public async ValueTask<LoadedSigningKeys> GetAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(organizationId, out var keys))
        {
            if (time.GetUtcNow() - keys.LoadedAt > options.Value.CacheDuration && _refreshing.TryAdd(organizationId, 0))
            {
                _ = RefreshInBackgroundAsync(organizationId);
            }

            return keys;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_cache.TryGetValue(organizationId, out keys))
            {
                keys = await LoadOrCreateAsync(organizationId, cancellationToken);
                _cache[organizationId] = keys;
            }

            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<SigningKeyView>> ListAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var stored = await db.SigningKeys.AsNoTracking().Where(k => k.OrganizationId == organizationId).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var current = SigningAlgorithms.All.Select(a => SelectCurrent(stored, a, now)).OfType<SigningKey>().ToHashSet();
        return stored
            .OrderBy(k => AlgorithmOrder(k.Algorithm))
            .ThenByDescending(k => k.ActivatesAt)
            .Select(k => new SigningKeyView(
                k.KeyId,
                k.Algorithm,
                k.ActivatesAt > now ? SigningKeyState.Pending
                    : current.Contains(k) ? SigningKeyState.Current
                    : k.RetiredAt + PublishedAfterRetirement > now ? SigningKeyState.Retired
                    : SigningKeyState.Unpublished,
                k.CreatedAt,
                k.ActivatesAt,
                k.RetiredAt,
                k.RetiredAt + PublishedAfterRetirement))
            .ToList();
    }

    public Task<SigningKeyRotation> RotateAsync(Guid organizationId, CancellationToken cancellationToken) =>
        RotateAsync(organizationId, onlyIfDue: false, cancellationToken)!;

    /// <summary>
    /// The scheduled pass: rotates every organization whose current key is older than
    /// <see cref="SigningKeyOptions.RotateAfter"/> and deletes keys kept long enough. Returns the number rotated.
    /// </summary>
    public async Task<int> RotateDueKeysAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dueBefore = now - options.Value.RotateAfter;
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
            due = await db.SigningKeys.AsNoTracking()
                .GroupBy(k => new { k.OrganizationId, k.Algorithm })
                .Where(g => g.Max(k => k.ActivatesAt) <= dueBefore)
                .Select(g => g.Key.OrganizationId)
                .Distinct()
                .ToListAsync(cancellationToken);
            var forgetBefore = now - KeptAfterRetirement;
            await db.SigningKeys.Where(k => k.RetiredAt != null && k.RetiredAt < forgetBefore).ExecuteDeleteAsync(cancellationToken);
        }

        var rotated = 0;
        foreach (var organizationId in due)
        {
            if (await RotateAsync(organizationId, onlyIfDue: true, cancellationToken) is { AlreadyPending: false })
            {
                rotated++;
            }
        }

        return rotated;
    }

    public void Dispose() => _gate.Dispose();

    private async Task<SigningKeyRotation?> RotateAsync(Guid organizationId, bool onlyIfDue, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockAsync(db, organizationId, cancellationToken);
        var now = time.GetUtcNow();
        var stored = await db.SigningKeys.Where(k => k.OrganizationId == organizationId).ToListAsync(cancellationToken);
        SigningKey? firstPending = null;
        var created = new List<SigningKey>();
        foreach (var algorithm in SigningAlgorithms.All)
        {
            var ofAlgorithm = stored.Where(k => k.Algorithm == algorithm).ToList();
            var pending = ofAlgorithm.Where(k => k.ActivatesAt > now).MaxBy(k => k.ActivatesAt);
            if (pending is not null)
            {
                firstPending ??= pending;
                continue;
            }

            if (onlyIfDue && ofAlgorithm.Count > 0 && ofAlgorithm.Max(k => k.ActivatesAt) > now - options.Value.RotateAfter)
            {
                continue;
            }

            var activatesAt = ofAlgorithm.Count == 0 ? now : now + options.Value.ActivationDelay;
            foreach (var key in ofAlgorithm.Where(k => k.RetiredAt is null || k.RetiredAt > activatesAt))
            {
                key.RetiredAt = activatesAt;
            }

            created.Add(CreateKey(organizationId, algorithm, now, activatesAt));
        }

        if (created.Count == 0)
        {
            return firstPending is null ? null : new SigningKeyRotation(firstPending.KeyId, firstPending.ActivatesAt, AlreadyPending: true);
        }

        db.SigningKeys.AddRange(created);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _cache.TryRemove(organizationId, out _);
        foreach (var key in created)
        {
            LogKeyRotated(logger, organizationId, key.KeyId, key.Algorithm, key.ActivatesAt);
        }

        return new SigningKeyRotation(created[0].KeyId, created[0].ActivatesAt, AlreadyPending: false)
        {
            KeyIds = created.Select(k => k.KeyId).ToList(),
        };
    }

    private async Task RefreshInBackgroundAsync(Guid organizationId)
    {
        try
        {
            _cache[organizationId] = await LoadOrCreateAsync(organizationId, CancellationToken.None);
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or CryptographicException)
        {
            LogRefreshFailed(logger, exception);
        }
        finally
        {
            _refreshing.TryRemove(organizationId, out _);
        }
    }

    private async Task<LoadedSigningKeys> LoadOrCreateAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var now = time.GetUtcNow();
        var stored = await db.SigningKeys.AsNoTracking().Where(k => k.OrganizationId == organizationId).ToListAsync(cancellationToken);
        // An organization made before ADR 0023 has only RS256 keys: its PS256 and ES256 keys are made here.
        if (SigningAlgorithms.All.Any(a => SelectCurrent(stored, a, now) is null))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await LockAsync(db, organizationId, cancellationToken);
            stored = await db.SigningKeys.AsNoTracking().Where(k => k.OrganizationId == organizationId).ToListAsync(cancellationToken);
            foreach (var algorithm in SigningAlgorithms.All.Where(a => SelectCurrent(stored, a, now) is null))
            {
                var created = CreateKey(organizationId, algorithm, now, now);
                db.SigningKeys.Add(created);
                stored.Add(created);
                LogKeyCreated(logger, organizationId, created.KeyId, algorithm);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var loaded = stored
            .Where(k => SigningAlgorithms.IsSupported(k.Algorithm))
            .OrderByDescending(k => k.ActivatesAt)
            .Select(Load)
            .ToList();
        return new LoadedSigningKeys(loaded, now);
    }

    /// <summary>The newest key of <paramref name="algorithm"/> that has started and not stopped signing.</summary>
    private static SigningKey? SelectCurrent(IEnumerable<SigningKey> keys, string algorithm, DateTimeOffset now) =>
        keys.Where(k => k.Algorithm == algorithm && k.ActivatesAt <= now && (k.RetiredAt is null || k.RetiredAt > now)).MaxBy(k => k.ActivatesAt);

    private static int AlgorithmOrder(string algorithm)
    {
        var index = SigningAlgorithms.All.ToList().IndexOf(algorithm);
        return index < 0 ? int.MaxValue : index;
    }

    private static Task<int> LockAsync(CibaDbContext db, Guid organizationId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockClass}, hashtext({organizationId.ToString()}))", cancellationToken);

    /// <summary>
    /// A new key for <paramref name="algorithm"/>: RSA 2048 for RS256 and PS256 (never the same key
    /// for both, ADR 0023), P-256 for ES256. Its <c>kid</c> is its JWK thumbprint (RFC 7638).
    /// </summary>
    private SigningKey CreateKey(Guid organizationId, string algorithm, DateTimeOffset now, DateTimeOffset activatesAt)
    {
        byte[] pkcs8;
        string keyId;
        if (algorithm == SigningAlgorithms.ES256)
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pkcs8 = ecdsa.ExportPkcs8PrivateKey();
            using var publicPart = ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false));
            keyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(publicPart)).ComputeJwkThumbprint());
        }
        else
        {
            using var rsa = RSA.Create(KeySizeInBits);
            pkcs8 = rsa.ExportPkcs8PrivateKey();
            var publicKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
            keyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(publicKey).ComputeJwkThumbprint());
        }

        try
        {
            return new SigningKey
            {
                KeyId = keyId,
                OrganizationId = organizationId,
                Algorithm = algorithm,
                ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(pkcs8)),
                CreatedAt = now,
                ActivatesAt = activatesAt,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private LoadedSigningKey Load(SigningKey stored)
    {
        var pkcs8 = _protector.Unprotect(Convert.FromBase64String(stored.ProtectedPrivateKey));
        try
        {
            if (stored.Algorithm == SigningAlgorithms.ES256)
            {
                var ecdsa = ECDsa.Create();
                ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
                var point = ecdsa.ExportParameters(includePrivateParameters: false).Q;
                var ecKey = new ECDsaSecurityKey(ecdsa) { KeyId = stored.KeyId };
                var ecPublic = new PublicSigningKey(
                    stored.KeyId, stored.Algorithm, "EC", Curve: "P-256", X: Base64UrlEncoder.Encode(point.X), Y: Base64UrlEncoder.Encode(point.Y));
                return new LoadedSigningKey(stored.KeyId, stored.Algorithm, ecKey, new SigningCredentials(ecKey, stored.Algorithm), ecPublic, stored.ActivatesAt, stored.RetiredAt);
            }

            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            var parameters = rsa.ExportParameters(includePrivateParameters: false);
            var key = new RsaSecurityKey(rsa) { KeyId = stored.KeyId };
            var publicKey = new PublicSigningKey(
                stored.KeyId, stored.Algorithm, "RSA", Modulus: Base64UrlEncoder.Encode(parameters.Modulus), Exponent: Base64UrlEncoder.Encode(parameters.Exponent));
            return new LoadedSigningKey(stored.KeyId, stored.Algorithm, key, new SigningCredentials(key, stored.Algorithm), publicKey, stored.ActivatesAt, stored.RetiredAt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Created {Algorithm} signing key {KeyId} for organization {OrganizationId}.")]
    private static partial void LogKeyCreated(ILogger logger, Guid organizationId, string keyId, string algorithm);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Re-reading the signing keys failed; the cached keys stay in use.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Rotated the {Algorithm} signing key of organization {OrganizationId}: {KeyId} signs from {ActivatesAt}.")]
    private static partial void LogKeyRotated(ILogger logger, Guid organizationId, string keyId, string algorithm, DateTimeOffset activatesAt);
}

public sealed record LoadedSigningKey(
    string KeyId,
    string Algorithm,
    AsymmetricSecurityKey Key,
    SigningCredentials Credentials,
    PublicSigningKey PublicKey,
    DateTimeOffset ActivatesAt,
    DateTimeOffset? RetiredAt)
{
    public bool SignsAt(DateTimeOffset now) => ActivatesAt <= now && (RetiredAt is null || RetiredAt > now);

    public bool PublishedAt(DateTimeOffset now) => RetiredAt is null || RetiredAt + SigningKeyRing.PublishedAfterRetirement > now;
}

/// <summary>A snapshot of one organization's keys of every algorithm, newest first.</summary>
public sealed class LoadedSigningKeys
{
    private readonly Dictionary<string, LoadedSigningKey> _byKeyId;

    public LoadedSigningKeys(IReadOnlyList<LoadedSigningKey> keys, DateTimeOffset loadedAt)
    {
        Keys = keys;
        LoadedAt = loadedAt;
        _byKeyId = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        HintValidationKeys = keys.Select(k => (SecurityKey)k.Key).ToList();
    }

    public IReadOnlyList<LoadedSigningKey> Keys { get; }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>The <paramref name="algorithm"/> key that signs at <paramref name="now"/>: the newest started one (never a pending one).</summary>
    public LoadedSigningKey Current(string algorithm, DateTimeOffset now) =>
        Keys.FirstOrDefault(k => k.Algorithm == algorithm && k.SignsAt(now))
        ?? Keys.Where(k => k.Algorithm == algorithm && k.ActivatesAt <= now).MaxBy(k => k.ActivatesAt)
        ?? throw new InvalidOperationException($"No {algorithm} signing key has started.");

    /// <summary>The keys in the JWKS at <paramref name="now"/>: pending, current and retired until their tokens expire.</summary>
    public IReadOnlyList<LoadedSigningKey> Published(DateTimeOffset now) => Keys.Where(k => k.PublishedAt(now)).ToList();

    /// <summary>Every kept key: an expired ID token used as a hint may be signed by an unpublished one.</summary>
    public IReadOnlyList<SecurityKey> HintValidationKeys { get; }

    /// <summary>Whether <paramref name="key"/> is ours and made for <paramref name="algorithm"/>: a key signs with one algorithm only.</summary>
    public bool IsKeyFor(SecurityKey key, string algorithm) =>
        key?.KeyId is { } keyId && _byKeyId.TryGetValue(keyId, out var loaded) && loaded.Algorithm == algorithm;
}
