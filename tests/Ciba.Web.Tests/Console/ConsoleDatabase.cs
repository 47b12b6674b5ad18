using Ciba.Domain.Applications;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Console;

/// <summary>Reads what the console wrote, straight from the database.</summary>
public static class ConsoleDatabase
{
    public static async Task<T> ReadAsync<T>(this CibaWebFactory factory, Func<CibaDbContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CibaDbContext>());
    }

    public static Task<ClientApplication> ApplicationAsync(this CibaWebFactory factory, string clientId) =>
        factory.ReadAsync(db => db.Applications.AsNoTracking().SingleAsync(a => a.ClientId == clientId));

    public static Task<ClientApplication?> ApplicationAsync(this CibaWebFactory factory, Guid id) =>
        factory.ReadAsync(db => db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id));
}
