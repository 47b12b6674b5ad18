using System.Runtime.CompilerServices;
using Ciba.Domain.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ciba.Infrastructure.Clients;

/// <summary>
/// A save that adds, changes or deletes an application empties this node's <see cref="ApplicationCache"/>
/// before the save returns, so the admin's next request on this node sees the change; other nodes
/// hear of it through <see cref="ApplicationChangeListener"/>. Emptied both before the write and
/// after the commit, so no read in between is kept (ADR 0031).
/// </summary>
public sealed class ApplicationCacheInterceptor(ApplicationCache cache) : SaveChangesInterceptor
{
    private static readonly object Marker = new();
    private readonly ConditionalWeakTable<DbContext, object> _changingApplications = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        BeforeSave(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        BeforeSave(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        AfterSave(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AfterSave(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => AfterSave(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        AfterSave(eventData.Context);
        return Task.CompletedTask;
    }

    private void BeforeSave(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<ClientApplication>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                cache.InvalidateAll();
                _changingApplications.AddOrUpdate(context, Marker);
                return;
            }
        }
    }

    private void AfterSave(DbContext? context)
    {
        if (context is not null && _changingApplications.Remove(context))
        {
            cache.InvalidateAll();
        }
    }
}
