using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ciba.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CibaDbContext>
{
    public CibaDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<CibaDbContext>()
            .UseNpgsql("Host=localhost;Database=ciba_design")
            .Options;
        return new CibaDbContext(options);
    }
}
