using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// The authenticator app (TOTP) and its recovery codes (product.md §16, ADR 0029). Identity's
/// <see cref="UserStoreBase{TUser, TKey, TUserClaim, TUserLogin, TUserToken}"/> already implements
/// <see cref="IUserAuthenticatorKeyStore{TUser}"/>, <see cref="IUserTwoFactorStore{TUser}"/>,
/// <see cref="IUserTwoFactorRecoveryCodeStore{TUser}"/> and the token storage they sit on; this part
/// keeps them inside the current organization, encrypts the authenticator key at rest and keeps only
/// hashes of recovery codes.
/// </summary>
public sealed partial class OrganizationScopedUserStore
{
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string AuthenticatorKeyTokenName = "AuthenticatorKey";
    private const string RecoveryCodeTokenName = "RecoveryCodes";
    private const string ProtectedPrefix = "dp:";

    public override async Task SetAuthenticatorKeyAsync(CibaUser user, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(key);
        await SetTokenAsync(user, InternalLoginProvider, AuthenticatorKeyTokenName, ProtectedPrefix + secrets.Protect(key), cancellationToken);
    }

    public override async Task<string?> GetAuthenticatorKeyAsync(CibaUser user, CancellationToken cancellationToken)
    {
        var stored = await GetTokenAsync(user, InternalLoginProvider, AuthenticatorKeyTokenName, cancellationToken);
        return stored is not null && stored.StartsWith(ProtectedPrefix, StringComparison.Ordinal)
            ? secrets.Unprotect(stored[ProtectedPrefix.Length..])
            : stored;
    }

    public override Task ReplaceCodesAsync(CibaUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        var hashed = string.Join(';', recoveryCodes.Select(HashRecoveryCode));
        return SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, hashed, cancellationToken);
    }

    public override async Task<bool> RedeemCodeAsync(CibaUser user, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var stored = await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken) ?? string.Empty;
        var codes = stored.Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        var presented = Encoding.ASCII.GetBytes(HashRecoveryCode(code));
        var match = codes.FindIndex(c => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(c), presented));
        if (match < 0)
        {
            return false;
        }

        codes.RemoveAt(match);
        await SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, string.Join(';', codes), cancellationToken);
        return true;
    }

    /// <summary>A person's tokens are found only through their own organization.</summary>
    protected override Task<IdentityUserToken<Guid>?> FindTokenAsync(CibaUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return organization.OrganizationId is { } organizationId && organizationId != user.OrganizationId
            ? Task.FromResult<IdentityUserToken<Guid>?>(null)
            : base.FindTokenAsync(user, loginProvider, name, cancellationToken);
    }

    /// <summary>Recovery codes are random (about 50 bits) and single-use: one SHA-256 of the normalized code (ADR 0005).</summary>
    private static string HashRecoveryCode(string code) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant())));
}
