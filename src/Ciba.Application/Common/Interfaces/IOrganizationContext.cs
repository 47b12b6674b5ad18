namespace Ciba.Application.Common.Interfaces;

/// <summary>
/// The organization the current request (or job) acts for. Set once per scope from the
/// <c>/t/{org}</c> route; user lookups are confined to it.
/// </summary>
public interface IOrganizationContext
{
    Guid? OrganizationId { get; }

    string? Handle { get; }

    void Enter(Guid organizationId, string handle);
}
