using Ciba.Application.Common.Interfaces;

namespace Ciba.Infrastructure.Organizations;

public sealed class OrganizationContext : IOrganizationContext
{
    public Guid? OrganizationId { get; private set; }

    public string? Handle { get; private set; }

    public void Enter(Guid organizationId, string handle)
    {
        if (OrganizationId is { } current && current != organizationId)
        {
            throw new InvalidOperationException("A scope acts for one organization only.");
        }

        OrganizationId = organizationId;
        Handle = handle;
    }
}
