using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// Identity's passkey store over Ciba's own table (<see cref="CibaUserPasskey"/>): every passkey
/// belongs to a person of one organization, and a credential is looked up only inside the
/// organization being entered, so another organization's passkey finds nobody.
/// </summary>
public sealed partial class OrganizationScopedUserStore
{
    private DbSet<CibaUserPasskey> Passkeys => Context.Set<CibaUserPasskey>();

    public override async Task AddOrUpdatePasskeyAsync(CibaUser user, UserPasskeyInfo passkey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(passkey);
        cancellationToken.ThrowIfCancellationRequested();
        var row = await Passkeys.SingleOrDefaultAsync(
            p => p.OrganizationId == user.OrganizationId && p.CredentialId == passkey.CredentialId && p.UserId == user.Id, cancellationToken);
        if (row is null)
        {
            row = new CibaUserPasskey
            {
                OrganizationId = user.OrganizationId,
                CredentialId = passkey.CredentialId,
                UserId = user.Id,
                CreatedAt = passkey.CreatedAt,
            };
            Passkeys.Add(row);
        }

        row.Name = passkey.Name is { Length: > CibaUserPasskey.MaxNameLength } name ? name[..CibaUserPasskey.MaxNameLength] : passkey.Name;
        row.PublicKey = passkey.PublicKey;
        row.SignCount = passkey.SignCount;
        row.Transports = passkey.Transports;
        row.IsUserVerified = passkey.IsUserVerified;
        row.IsBackupEligible = passkey.IsBackupEligible;
        row.IsBackedUp = passkey.IsBackedUp;
        row.AttestationObject = passkey.AttestationObject;
        row.ClientDataJson = passkey.ClientDataJson;
        await SaveChanges(cancellationToken);
    }

    public override async Task<IList<UserPasskeyInfo>> GetPasskeysAsync(CibaUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var rows = await Passkeys.AsNoTracking()
            .Where(p => p.OrganizationId == user.OrganizationId && p.UserId == user.Id)
            .OrderBy(p => p.CreatedAt)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(ToInfo)];
    }

    public override async Task<CibaUser?> FindByPasskeyIdAsync(byte[] credentialId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentialId);
        if (Organization.OrganizationId is not { } organizationId)
        {
            return null;
        }

        var userId = await Passkeys.AsNoTracking()
            .Where(p => p.OrganizationId == organizationId && p.CredentialId == credentialId)
            .Select(p => (Guid?)p.UserId)
            .SingleOrDefaultAsync(cancellationToken);
        return userId is { } id
            ? await Users.SingleOrDefaultAsync(u => u.Id == id && u.OrganizationId == organizationId, cancellationToken)
            : null;
    }

    public override async Task<UserPasskeyInfo?> FindPasskeyAsync(CibaUser user, byte[] credentialId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(credentialId);
        var row = await Passkeys.AsNoTracking()
            .SingleOrDefaultAsync(p => p.OrganizationId == user.OrganizationId && p.CredentialId == credentialId && p.UserId == user.Id, cancellationToken);
        return row is null ? null : ToInfo(row);
    }

    public override async Task RemovePasskeyAsync(CibaUser user, byte[] credentialId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(credentialId);
        var row = await Passkeys.SingleOrDefaultAsync(
            p => p.OrganizationId == user.OrganizationId && p.CredentialId == credentialId && p.UserId == user.Id, cancellationToken);
        if (row is not null)
        {
            Passkeys.Remove(row);
            await SaveChanges(cancellationToken);
        }
    }

    private static UserPasskeyInfo ToInfo(CibaUserPasskey row) =>
        new(row.CredentialId, row.PublicKey, row.CreatedAt, (uint)row.SignCount, row.Transports, row.IsUserVerified,
            row.IsBackupEligible, row.IsBackedUp, row.AttestationObject, row.ClientDataJson)
        {
            Name = row.Name,
        };
}
