using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Ciba.Application.Accounts;
using Ciba.Application.Accounts.Passkeys;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Identity;

/// <summary>
/// Passkeys through ASP.NET Core Identity: <see cref="IPasskeyHandler{TUser}"/> makes the options
/// and checks the browser's answers, <see cref="UserManager{TUser}"/> stores the passkeys (in
/// <see cref="OrganizationScopedUserStore"/>), <see cref="SignInManager{TUser}"/> writes the session.
/// The ceremony's state rides in its own short-lived cookie (<see cref="PasskeyCeremony"/>), not in
/// Identity's two-factor cookie (docs/decisions/0030-passkeys.md).
/// </summary>
public sealed class AccountPasskeys(
    IPasskeyHandler<CibaUser> handler,
    UserManager<CibaUser> users,
    SignInManager<CibaUser> signInManager,
    CibaDbContext db,
    IHttpContextAccessor httpContextAccessor,
    TimeProvider time)
    : IAccountPasskeys
{
    private const string Registration = "registration";
    private const string Assertion = "assertion";
    private const string OperationKey = "op";
    private const string StateKey = "state";
    private const string UserKey = "user";

    private HttpContext Http => httpContextAccessor.HttpContext ?? throw new InvalidOperationException("Passkey ceremonies happen in an HTTP request.");

    public async Task<string?> BeginRegistrationAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken)
    {
        var user = await FindUserAsync(organizationId, userId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var entity = new PasskeyUserEntity
        {
            Id = user.Id.ToString(),
            Name = user.UserName ?? user.Id.ToString(),
            DisplayName = user.DisplayName ?? user.UserName ?? user.Id.ToString(),
        };
        var options = await handler.MakeCreationOptionsAsync(entity, Http);
        await StoreCeremonyAsync(Registration, options.AttestationState, userId);
        return options.CreationOptionsJson;
    }

    public async Task<PasskeySummary?> CompleteRegistrationAsync(Guid organizationId, Guid userId, string credentialJson, string? name, CancellationToken cancellationToken)
    {
        var ceremony = await TakeCeremonyAsync(Registration);
        var user = await FindUserAsync(organizationId, userId, cancellationToken);
        if (ceremony is not { } begun || begun.UserId != userId || user is null)
        {
            return null;
        }

        PasskeyAttestationResult result;
        try
        {
            result = await handler.PerformAttestationAsync(new PasskeyAttestationContext { CredentialJson = credentialJson, AttestationState = begun.State, HttpContext = Http });
        }
        catch (Exception exception) when (IsBadInput(exception))
        {
            return null;
        }

        if (!result.Succeeded || result.UserEntity.Id != user.Id.ToString())
        {
            return null;
        }

        var passkey = result.Passkey;
        if (name is null)
        {
            var count = await Passkeys(organizationId, userId).CountAsync(cancellationToken);
            name = string.Create(CultureInfo.InvariantCulture, $"Passkey {count + 1}");
        }

        passkey.Name = name;
        var stored = await users.AddOrUpdatePasskeyAsync(user, passkey);
        return stored.Succeeded
            ? new PasskeySummary(Base64Url.EncodeToString(passkey.CredentialId), name, passkey.CreatedAt, null, passkey.IsBackupEligible)
            : null;
    }

    public async Task<string> BeginAssertionAsync(Guid organizationId, Guid? userId, CancellationToken cancellationToken)
    {
        var user = userId is { } id ? await FindUserAsync(organizationId, id, cancellationToken) : null;
        var options = await handler.MakeRequestOptionsAsync(user, Http);
        await StoreCeremonyAsync(Assertion, options.AssertionState, user?.Id);
        return options.RequestOptionsJson;
    }

    public async Task<PasskeyAssertionOutcome> SignInAsync(Guid organizationId, string credentialJson, CancellationToken cancellationToken)
    {
        var (outcome, user, passkey) = await AssertAsync(organizationId, null, credentialJson, cancellationToken);
        if (user is null || passkey is null)
        {
            return outcome;
        }

        await signInManager.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(CibaClaimTypes.AuthenticationMethod, outcome.AuthenticationMethod!)]);
        return outcome;
    }

    public async Task<PasskeyAssertionOutcome> StepUpAsync(Guid organizationId, Guid userId, string credentialJson, CancellationToken cancellationToken)
    {
        var (outcome, user, passkey) = await AssertAsync(organizationId, userId, credentialJson, cancellationToken);
        if (user is null || passkey is null)
        {
            return outcome;
        }

        await ReissueSessionAsync(user, outcome.AuthenticationMethod);
        return outcome;
    }

    public async Task<IReadOnlyList<PasskeySummary>> ListAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken)
    {
        var rows = await Passkeys(organizationId, userId).AsNoTracking()
            .OrderBy(p => p.CreatedAt)
            .Select(p => new { p.CredentialId, p.Name, p.CreatedAt, p.LastUsedAt, p.IsBackupEligible })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(p => new PasskeySummary(Base64Url.EncodeToString(p.CredentialId), p.Name ?? "Passkey", p.CreatedAt, p.LastUsedAt, p.IsBackupEligible))];
    }

    public async Task<bool> RenameAsync(Guid organizationId, Guid userId, string passkeyId, string name, CancellationToken cancellationToken)
    {
        if (Decode(passkeyId) is not { } credentialId)
        {
            return false;
        }

        var updated = await Passkeys(organizationId, userId)
            .Where(p => p.CredentialId == credentialId)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.Name, name), cancellationToken);
        return updated > 0;
    }

    public async Task<PasskeySummary?> RemoveAsync(Guid organizationId, Guid userId, string passkeyId, CancellationToken cancellationToken)
    {
        var user = await FindUserAsync(organizationId, userId, cancellationToken);
        if (Decode(passkeyId) is not { } credentialId || user is null)
        {
            return null;
        }

        var row = await Passkeys(organizationId, userId).AsNoTracking().SingleOrDefaultAsync(p => p.CredentialId == credentialId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var stampBefore = await users.GetSecurityStampAsync(user);
        var removed = await users.RemovePasskeyAsync(user, credentialId);
        if (!removed.Succeeded)
        {
            return null;
        }

        // Identity renews the security stamp when a passkey goes: other sessions end, this one carries on.
        if (await users.GetSecurityStampAsync(user) != stampBefore)
        {
            await ReissueSessionAsync(user, null);
        }

        return new PasskeySummary(passkeyId, row.Name ?? "Passkey", row.CreatedAt, row.LastUsedAt, row.IsBackupEligible);
    }

    private async Task<(PasskeyAssertionOutcome Outcome, CibaUser? User, UserPasskeyInfo? Passkey)> AssertAsync(
        Guid organizationId, Guid? expectedUserId, string credentialJson, CancellationToken cancellationToken)
    {
        var ceremony = await TakeCeremonyAsync(Assertion);
        if (ceremony is not { } begun || begun.UserId != expectedUserId)
        {
            return (PasskeyAssertionOutcome.Failed("no ceremony begun in this browser."), null, null);
        }

        PasskeyAssertionResult<CibaUser> result;
        try
        {
            result = await handler.PerformAssertionAsync(new PasskeyAssertionContext { CredentialJson = credentialJson, AssertionState = begun.State, HttpContext = Http });
        }
        catch (Exception exception) when (IsBadInput(exception))
        {
            return (PasskeyAssertionOutcome.Failed("malformed answer."), null, null);
        }

        if (!result.Succeeded)
        {
            return (PasskeyAssertionOutcome.Failed("refused (" + result.Failure.Message + ")"), null, null);
        }

        var user = result.User;
        if (user.OrganizationId != organizationId || (expectedUserId is { } id && user.Id != id))
        {
            return (PasskeyAssertionOutcome.Failed("another person's or organization's passkey."), null, null);
        }

        if (user.LockoutEnd is { } end && end > time.GetUtcNow() || !await signInManager.CanSignInAsync(user))
        {
            return (PasskeyAssertionOutcome.Failed("the account is locked.", user.Id, user.UserName), null, null);
        }

        var stored = await users.AddOrUpdatePasskeyAsync(user, result.Passkey);
        if (!stored.Succeeded)
        {
            return (PasskeyAssertionOutcome.Failed("the passkey could not be updated.", user.Id, user.UserName), null, null);
        }

        var now = time.GetUtcNow();
        await db.Set<CibaUserPasskey>()
            .Where(p => p.OrganizationId == organizationId && p.CredentialId == result.Passkey.CredentialId)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.LastUsedAt, now), cancellationToken);
        var method = PasskeyAuthenticationMethods.For(result.Passkey.IsBackupEligible);
        return (new PasskeyAssertionOutcome(true, user.Id, user.UserName, method, null), user, result.Passkey);
    }

    /// <summary>Writes the session again for the same person, keeping the methods it records and adding <paramref name="method"/>.</summary>
    private async Task ReissueSessionAsync(CibaUser user, string? method)
    {
        var methods = Http.User.FindAll(CibaClaimTypes.AuthenticationMethod).Select(c => c.Value).ToList();
        if (method is not null && !methods.Contains(method, StringComparer.Ordinal))
        {
            methods.Add(method);
        }

        await signInManager.SignInWithClaimsAsync(user, isPersistent: false, methods.Select(m => new Claim(CibaClaimTypes.AuthenticationMethod, m)));
    }

    private IQueryable<CibaUserPasskey> Passkeys(Guid organizationId, Guid userId) =>
        db.Set<CibaUserPasskey>().Where(p => p.OrganizationId == organizationId && p.UserId == userId);

    private Task<CibaUser?> FindUserAsync(Guid organizationId, Guid userId, CancellationToken cancellationToken) =>
        users.Users.SingleOrDefaultAsync(u => u.Id == userId && u.OrganizationId == organizationId, cancellationToken);

    private async Task StoreCeremonyAsync(string operation, string? state, Guid? userId)
    {
        var properties = new AuthenticationProperties { IsPersistent = false };
        properties.Items[OperationKey] = operation;
        properties.Items[StateKey] = state;
        properties.Items[UserKey] = userId?.ToString();
        await Http.SignInAsync(PasskeyCeremony.Scheme, new ClaimsPrincipal(new ClaimsIdentity(PasskeyCeremony.Scheme)), properties);
    }

    /// <summary>The ceremony this browser began, once: it is forgotten as it is read.</summary>
    private async Task<(string? State, Guid? UserId)?> TakeCeremonyAsync(string operation)
    {
        var result = await Http.AuthenticateAsync(PasskeyCeremony.Scheme);
        await Http.SignOutAsync(PasskeyCeremony.Scheme);
        if (result.Properties is not { } properties
            || !properties.Items.TryGetValue(OperationKey, out var begun)
            || begun != operation
            || !properties.Items.TryGetValue(StateKey, out var state))
        {
            return null;
        }

        Guid? userId = properties.Items.TryGetValue(UserKey, out var user) && Guid.TryParse(user, out var id) ? id : null;
        return (state, userId);
    }

    private static byte[]? Decode(string passkeyId) =>
        passkeyId.Length is > 0 and <= 1400 && Base64Url.IsValid(passkeyId) ? Base64Url.DecodeFromChars(passkeyId) : null;

    private static bool IsBadInput(Exception exception) =>
        exception is PasskeyException or JsonException or FormatException or ArgumentException or CryptographicException;
}
