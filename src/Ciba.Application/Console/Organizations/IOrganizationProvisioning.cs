using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;

namespace Ciba.Application.Console.Organizations;

/// <summary>
/// Creates an organization with its first administrator, all or nothing. A taken handle or a
/// refused username or password comes back as a field error named after <see cref="Create.CreateOrganizationCommand"/>.
/// </summary>
public interface IOrganizationProvisioning
{
    Task<Result<OrganizationSummary>> CreateAsync(NewOrganization organization, CancellationToken cancellationToken);
}

public sealed record NewOrganization(string Handle, string Name, string AdminUserName, string AdminEmail, string AdminPassword)
{
    public override string ToString() => $"NewOrganization {{ Handle = {Handle} }}";
}
