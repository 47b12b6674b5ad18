using Ciba.Domain.Apis;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Seeding;

public sealed partial class DemoDataSeeder
{
    private async Task EnsureApisAsync(Guid organizationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.ApiResources.AnyAsync(a => a.OrganizationId == organizationId && a.Identifier == DemoApis.PhotosIdentifier, cancellationToken))
        {
            return;
        }

        var api = ApiResource.Create(organizationId, DemoApis.PhotosName, DemoApis.PhotosIdentifier, now);
        foreach (var (value, description) in DemoApis.PhotosScopes)
        {
            api.AddScope(value, description, now);
        }

        db.ApiResources.Add(api);
    }
}
