using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using Ciba.Application.Tokens;
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
/// background. An organization's first key is made on first use, and rotations happen, under a
/// PostgreSQL advisory lock per organization, so nodes never race to make two.
/// </summary>
public sealed partial class SigningKeyRing(
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    IOptions<SigningKeyOptions> options,
    ILogger<SigningKeyRing> logger) : ISigningKeyAdministration, IDisposable
{
    public const string Algorithm = SecurityAlgorithms.RsaSha256;

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
        var current = SelectCurrent(stored, now);
        return stored
            .OrderByDescending(k => k.ActivatesAt)
            .Select(k => new SigningKeyView(
                k.KeyId,
                k.Algorithm,
                k.ActivatesAt > now ? SigningKeyState.Pending
                    : ReferenceEquals(k, current) ? SigningKeyState.Current
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
                .GroupBy(k => k.OrganizationId)
                .Where(g => g.Max(k => k.ActivatesAt) <= dueBefore)
                .Select(g => g.Key)
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
        var pending = stored.Where(k => k.ActivatesAt > now).MaxBy(k => k.ActivatesAt);
        if (pending is not null)
        {
            return new SigningKeyRotation(pending.KeyId, pending.ActivatesAt, AlreadyPending: true);
        }

        if (onlyIfDue && stored.Count > 0 && stored.Max(k => k.ActivatesAt) > now - options.Value.RotateAfter)
        {
            return null;
        }

        var activatesAt = stored.Count == 0 ? now : now + options.Value.ActivationDelay;
        var created = CreateKey(organizationId, now, activatesAt);
        foreach (var key in stored.Where(k => k.RetiredAt is null || k.RetiredAt > activatesAt))
        {
            key.RetiredAt = activatesAt;
        }

        db.SigningKeys.Add(created);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _cache.TryRemove(organizationId, out _);
        LogKeyRotated(logger, organizationId, created.KeyId, activatesAt);
        return new SigningKeyRotation(created.KeyId, activatesAt, AlreadyPending: false);
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
        if (SelectCurrent(stored, now) is null)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await LockAsync(db, organizationId, cancellationToken);
            stored = await db.SigningKeys.AsNoTracking().Where(k => k.OrganizationId == organizationId).ToListAsync(cancellationToken);
            if (SelectCurrent(stored, now) is null)
            {
                var created = CreateKey(organizationId, now, now);
                db.SigningKeys.Add(created);
                await db.SaveChangesAsync(cancellationToken);
                stored.Add(created);
                LogKeyCreated(logger, organizationId, created.KeyId);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var loaded = stored
            .Where(k => k.Algorithm == Algorithm)
            .OrderByDescending(k => k.ActivatesAt)
            .Select(Load)
            .ToList();
        return new LoadedSigningKeys(loaded, now);
    }

    /// <summary>The newest key that has started and not stopped signing.</summary>
    private static SigningKey? SelectCurrent(IEnumerable<SigningKey> keys, DateTimeOffset now) =>
        keys.Where(k => k.ActivatesAt <= now && (k.RetiredAt is null || k.RetiredAt > now)).MaxBy(k => k.ActivatesAt);

    private static Task<int> LockAsync(CibaDbContext db, Guid organizationId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockClass}, hashtext({organizationId.ToString()}))", cancellationToken);

    private SigningKey CreateKey(Guid organizationId, DateTimeOffset now, DateTimeOffset activatesAt)
    {
        using var rsa = RSA.Create(KeySizeInBits);
        var publicKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
        var keyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(publicKey).ComputeJwkThumbprint());
        return new SigningKey
        {
            KeyId = keyId,
            OrganizationId = organizationId,
            Algorithm = Algorithm,
            ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = now,
            ActivatesAt = activatesAt,
        };
    }

    private LoadedSigningKey Load(SigningKey stored)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(_protector.Unprotect(Convert.FromBase64String(stored.ProtectedPrivateKey)), out _);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var key = new RsaSecurityKey(rsa) { KeyId = stored.KeyId };
        var publicKey = new PublicSigningKey(stored.KeyId, "RS256", Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent));
        return new LoadedSigningKey(stored.KeyId, key, new SigningCredentials(key, Algorithm), publicKey, stored.ActivatesAt, stored.RetiredAt);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Created signing key {KeyId} for organization {OrganizationId}.")]
    private static partial void LogKeyCreated(ILogger logger, Guid organizationId, string keyId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Re-reading the signing keys failed; the cached keys stay in use.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Rotated the signing key of organization {OrganizationId}: {KeyId} signs from {ActivatesAt}.")]
    private static partial void LogKeyRotated(ILogger logger, Guid organizationId, string keyId, DateTimeOffset activatesAt);
}

public sealed record LoadedSigningKey(
    string KeyId, RsaSecurityKey Key, SigningCredentials Credentials, PublicSigningKey PublicKey, DateTimeOffset ActivatesAt, DateTimeOffset? RetiredAt)
{
    public bool SignsAt(DateTimeOffset now) => ActivatesAt <= now && (RetiredAt is null || RetiredAt > now);

    public bool PublishedAt(DateTimeOffset now) => RetiredAt is null || RetiredAt + SigningKeyRing.PublishedAfterRetirement > now;
}

/// <summary>A snapshot of one organization's keys, newest first.</summary>
public sealed class LoadedSigningKeys(IReadOnlyList<LoadedSigningKey> keys, DateTimeOffset loadedAt)
{
    public IReadOnlyList<LoadedSigningKey> Keys { get; } = keys;

    public DateTimeOffset LoadedAt { get; } = loadedAt;

    /// <summary>The key that signs at <paramref name="now"/>: the newest started one (never a pending one).</summary>
    public LoadedSigningKey Current(DateTimeOffset now) =>
        Keys.FirstOrDefault(k => k.SignsAt(now))
        ?? Keys.Where(k => k.ActivatesAt <= now).MaxBy(k => k.ActivatesAt)
        ?? throw new InvalidOperationException("No signing key has started.");

    /// <summary>The keys in the JWKS at <paramref name="now"/>: pending, current and retired until their tokens expire.</summary>
    public IReadOnlyList<LoadedSigningKey> Published(DateTimeOffset now) => Keys.Where(k => k.PublishedAt(now)).ToList();

    /// <summary>Every kept key: an expired ID token used as a hint may be signed by an unpublished one.</summary>
    public IReadOnlyList<SecurityKey> HintValidationKeys => Keys.Select(k => (SecurityKey)k.Key).ToList();
}
