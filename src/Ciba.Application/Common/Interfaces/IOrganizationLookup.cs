namespace Ciba.Application.Common.Interfaces;

/// <summary>Resolves an organization handle from a <c>/t/{org}</c> path (cached: handles never change).</summary>
public interface IOrganizationLookup
{
    Task<OrganizationSummary?> FindByHandleAsync(string handle, CancellationToken cancellationToken);
}

public sealed record OrganizationSummary(Guid Id, string Handle, string Name);
