using System.Collections.Concurrent;
using Ciba.Application.Clients;
using Ciba.Domain.Applications;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Clients;

/// <summary>
/// The applications of every organization, in memory (ADR 0031). It serves only while
/// <see cref="ApplicationChangeListener"/> holds a connection that <c>LISTEN</c>s for changes: a
/// trigger on <c>"Applications"</c> notifies every node of every insert, update and delete, and
/// the listener empties the cache. A node that loses that connection (a database restart, a
/// network fault, a ping that does not come back) empties the cache and reads every application
/// from PostgreSQL until it listens again. A save through this node's own <c>DbContext</c> empties
/// it too, before the save returns (<see cref="ApplicationCacheInterceptor"/>).
/// </summary>
public sealed class ApplicationCache
{
    /// <summary>Applications beyond this many are read from PostgreSQL each time, not kept.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(Guid OrganizationId, string ClientId), ClientApplication> _entries = new();
    private readonly Lock _gate = new();
    private long _generation;
    private volatile bool _serving;

    /// <summary>Whether the cache is serving (its node listens for changes).</summary>
    public bool IsServing => _serving;

    /// <summary>Changes every time the cache is emptied; a read that began before a change is not kept.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public int Count => _entries.Count;

    public bool TryGet(Guid organizationId, string clientId, out ClientApplication? application)
    {
        application = null;
        return _serving && _entries.TryGetValue((organizationId, clientId), out application);
    }

    /// <summary>Keeps <paramref name="application"/>, read after <paramref name="generation"/> was taken, unless the cache was emptied since.</summary>
    public void Add(ClientApplication application, long generation)
    {
        ArgumentNullException.ThrowIfNull(application);
        lock (_gate)
        {
            if (_serving && generation == _generation && _entries.Count < MaxEntries)
            {
                _entries[(application.OrganizationId, application.ClientId)] = application;
            }
        }
    }

    /// <summary>An application changed (here or on another node): forget them all.</summary>
    public void InvalidateAll()
    {
        lock (_gate)
        {
            _generation++;
            _entries.Clear();
        }
    }

    /// <summary>The listener listens (again): start from empty, since changes may have been missed.</summary>
    public void StartServing()
    {
        lock (_gate)
        {
            _generation++;
            _entries.Clear();
            _serving = true;
        }
    }

    /// <summary>The listener lost its connection: nothing cached can be trusted any more.</summary>
    public void StopServing()
    {
        lock (_gate)
        {
            _serving = false;
            _generation++;
            _entries.Clear();
        }
    }
}

/// <summary>The request's view of <see cref="ApplicationCache"/>: from memory, or one indexed read that is then kept.</summary>
internal sealed class CachedClientApplications(CibaDbContext db, ApplicationCache cache) : IClientApplications
{
    public async ValueTask<ClientApplication?> FindAsync(Guid organizationId, string clientId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(organizationId, clientId, out var cached))
        {
            return cached;
        }

        var generation = cache.Generation;
        var application = await db.Applications.AsNoTracking()
            .SingleOrDefaultAsync(a => a.OrganizationId == organizationId && a.ClientId == clientId, cancellationToken);
        if (application is not null)
        {
            cache.Add(application, generation);
        }

        return application;
    }
}
