namespace Ciba.Application.Audit;

/// <summary>
/// What the current HTTP request knows about who acts: the source address (set for every request)
/// and, on console pages, the signed-in administrator. Flows with the async call chain, so the
/// console's changes are audited where they are saved without every handler passing it along
/// (docs/decisions/0027-audit-log.md).
/// </summary>
public static class AuditAmbient
{
    private static readonly AsyncLocal<string?> Address = new();
    private static readonly AsyncLocal<AuditAdministrator?> Admin = new();

    public static string? SourceAddress
    {
        get => Address.Value;
        set => Address.Value = value;
    }

    /// <summary>The administrator whose console request is running, or null outside the console.</summary>
    public static AuditAdministrator? Administrator
    {
        get => Admin.Value;
        set => Admin.Value = value;
    }
}

public sealed record AuditAdministrator(Guid OrganizationId, Guid UserId, string UserName);
