using System.Globalization;
using System.Text;
using Ciba.Application.Audit;
using Ciba.Domain.Applications;
using Ciba.Domain.Audit;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ciba.Infrastructure.Audit;

/// <summary>
/// product.md §14: every console change is audited with the fields it changed, secrets redacted.
/// While an administrator's console request runs (<see cref="AuditAmbient.Administrator"/>), each
/// save that adds, changes or deletes an application, a user, a role membership, the providers or
/// the organization gets one event per changed row, added to the same save (one transaction).
/// </summary>
public sealed class ConsoleChangeAuditInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    private const int MaxValueLength = 80;

    private static readonly string[] Ignored = ["ConcurrencyStamp", "Version", "UpdatedAt", "AccessFailedCount"];

    private static readonly string[] SecretMarkers = ["Secret", "Hash", "Password", "Stamp", "Protected", "ApiKey", "PrivateKey", "Token", "Key"];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        AddEvents(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        AddEvents(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    private void AddEvents(DbContext? context)
    {
        if (context is null || AuditAmbient.Administrator is not { } administrator)
        {
            return;
        }

        var now = time.GetUtcNow();
        var events = new List<AuditEvent>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            var described = Describe(entry);
            if (described is null)
            {
                continue;
            }

            var (entity, subject, userId, applicationId) = described.Value;
            var detail = Changes(entry);
            if (entry.State == EntityState.Modified && detail.Length == 0)
            {
                continue;
            }

            var verb = entry.State switch
            {
                EntityState.Added => "created",
                EntityState.Deleted => "deleted",
                _ => "updated",
            };
            events.Add(AuditEvent.Create(
                administrator.OrganizationId,
                $"{AuditActions.ConsolePrefix}{entity}.{verb}",
                AuditOutcome.Succeeded,
                AuditActorKind.Administrator,
                administrator.UserName,
                now,
                userId,
                applicationId,
                subject,
                detail.Length == 0 ? null : detail,
                AuditAmbient.SourceAddress));
        }

        if (events.Count > 0)
        {
            context.AddRange(events);
        }
    }

    private static (string Entity, string Subject, Guid? UserId, Guid? ApplicationId)? Describe(EntityEntry entry) => entry.Entity switch
    {
        ClientApplication application => ("application", "application " + application.ClientId, null, application.Id),
        CibaUser user => ("user", "user " + user.UserName, user.Id, null),
        IdentityUserRole<Guid> role => ("user_role", "user role", role.UserId, null),
        NotificationProviders => ("providers", "notification providers", null, null),
        Organization organization => ("organization", "organization " + organization.Handle, null, null),
        Tokens.SigningKey => ("signing_key", "signing key", null, null),
        Domain.Users.UserCode code => ("user_code", "user code", code.UserId, null),
        TrustedHintIssuer issuer => ("hint_issuer", "hint issuer " + issuer.Issuer, null, null),
        _ => null,
    };

    /// <summary>"Name: 'TV' → 'Living room TV'; ClientSecretHash: [redacted]" (only the properties this save sets).</summary>
    private static string Changes(EntityEntry entry)
    {
        if (entry.State == EntityState.Deleted)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (Ignored.Contains(name, StringComparer.Ordinal) || name.StartsWith("Normalized", StringComparison.Ordinal))
            {
                continue;
            }

            if (entry.State == EntityState.Modified && (!property.IsModified || Equals(property.OriginalValue, property.CurrentValue)))
            {
                continue;
            }

            if (entry.State == EntityState.Added && property.CurrentValue is null)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(name).Append(": ");
            if (IsSecret(name))
            {
                text.Append("[redacted]");
            }
            else if (entry.State == EntityState.Added)
            {
                text.Append(Show(property.CurrentValue));
            }
            else
            {
                text.Append(Show(property.OriginalValue)).Append(" → ").Append(Show(property.CurrentValue));
            }
        }

        return text.ToString();
    }

    private static bool IsSecret(string name) =>
        SecretMarkers.Any(marker => name.Contains(marker, StringComparison.Ordinal)) && name != "ClientId";

    private static string Show(object? value)
    {
        var text = value switch
        {
            null => "none",
            byte[] => "[binary]",
            DateTimeOffset moment => moment.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            System.Collections.IEnumerable items and not string => string.Join(", ", items.Cast<object?>().Select(i => i?.ToString())),
            _ => value.ToString() ?? string.Empty,
        };
        if (text.Length > MaxValueLength)
        {
            text = text[..MaxValueLength] + "…";
        }

        return "'" + text + "'";
    }
}
