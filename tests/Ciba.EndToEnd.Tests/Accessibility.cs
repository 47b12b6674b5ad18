using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace Ciba.EndToEnd.Tests;

/// <summary>
/// axe-core (product.md §17) over every page state a browser test visits: each page that loads is
/// audited as it loads, a test audits in-place changes (an error summary, a countdown that ran out)
/// with <see cref="AssertAccessibleAsync"/>, and <see cref="BrowserTest"/> audits the final state.
/// Any violation fails the test.
/// </summary>
public static class Accessibility
{
    private static readonly ConditionalWeakTable<IPage, LoadAudits> Watching = [];

    /// <summary>An audit that has not finished by then has hung (a page without JavaScript never answers): a failure, not a stuck suite.</summary>
    private static readonly TimeSpan AuditTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Audits the page as it is now (after any audit still running); throws listing every violation.</summary>
    public static async Task AssertAccessibleAsync(this IPage page, string state)
    {
        ArgumentNullException.ThrowIfNull(page);
        var violations = await (Watching.TryGetValue(page, out var audits) ? audits.AuditNowAsync(state) : AuditAsync(page, state));
        if (violations is not null)
        {
            throw new XunitException(violations);
        }
    }

    /// <summary>Starts auditing every page <paramref name="page"/> loads from now on.</summary>
    public static LoadAudits WatchLoads(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var audits = new LoadAudits(page);
        Watching.AddOrUpdate(page, audits);
        return audits;
    }

    /// <summary>The violations on the page as a readable report, or null when there are none.</summary>
    internal static async Task<string?> AuditAsync(IPage page, string state)
    {
        var result = await page.RunAxe().WaitAsync(AuditTimeout);
        if (result.Violations.Length == 0)
        {
            return null;
        }

        var report = new StringBuilder($"axe-core found {result.Violations.Length} violation(s) on {page.Url} ({state}):");
        foreach (var violation in result.Violations)
        {
            report.Append("\n- ").Append(violation.Id).Append(" (").Append(violation.Impact).Append("): ").Append(violation.Help);
            foreach (var node in violation.Nodes)
            {
                var html = node.Html.Length > 200 ? node.Html[..200] + "…" : node.Html;
                report.Append("\n    at ").Append(node.Target?.ToString()).Append(": ").Append(html);
            }
        }

        return report.ToString();
    }

    /// <summary>
    /// The audits started by page loads. A load's audit is abandoned, without failing the test and
    /// without keeping the page from being audited again, when a newer load replaced the page before it
    /// began, when the page navigated away under it, or when it did not finish within
    /// <see cref="LoadAuditTimeout"/> (a page busy or going away): the page's next state is audited by
    /// its own load, and its final state by <see cref="BrowserTest"/>, whose audit has the full
    /// <see cref="AuditTimeout"/> and fails on a page that never answers.
    /// </summary>
    public sealed class LoadAudits
    {
        private readonly ConcurrentQueue<Task<string?>> _audits = new();
        private readonly SemaphoreSlim _oneAtATime = new(1, 1);
        private readonly TimeSpan _loadAuditTimeout;
        private readonly TimeSpan _waitTimeout;

        private readonly IPage _page;
        private int _loads;
        private int _navigations;
        private Task _abandoned = Task.CompletedTask;

        internal LoadAudits(IPage page)
            : this(page, LoadAuditTimeout, AuditTimeout)
        {
        }

        /// <param name="loadAuditTimeout">How long a load's audit may run before it is abandoned.</param>
        /// <param name="waitTimeout">How long an audit of the current state waits for its turn; longer than <paramref name="loadAuditTimeout"/>.</param>
        internal LoadAudits(IPage page, TimeSpan loadAuditTimeout, TimeSpan waitTimeout)
        {
            _page = page;
            _loadAuditTimeout = loadAuditTimeout;
            _waitTimeout = waitTimeout;
            page.FrameNavigated += (_, frame) =>
            {
                if (frame == page.MainFrame)
                {
                    Interlocked.Increment(ref _navigations);
                }
            };
            page.Load += (_, loaded) => _audits.Enqueue(AuditLoadedAsync(loaded, Interlocked.Increment(ref _loads)));
        }

        /// <summary>A load's audit that runs longer is abandoned: it holds up the test's own audits at most this long.</summary>
        internal static TimeSpan LoadAuditTimeout { get; } = TimeSpan.FromSeconds(20);

        /// <summary>axe-core runs one audit per page at a time: this one waits for a load's audit still running.</summary>
        internal async Task<string?> AuditNowAsync(string state)
        {
            if (!await _oneAtATime.WaitAsync(_waitTimeout))
            {
                throw new TimeoutException("An axe-core audit of the page did not finish.");
            }

            try
            {
                // An abandoned audit may still run in the page; axe-core refuses a second run at once,
                // so this one starts again until that run has ended (within the full audit timeout).
                await Task.WhenAny(_abandoned, Task.Delay(_waitTimeout));
                var deadline = DateTime.UtcNow + AuditTimeout;
                while (true)
                {
                    try
                    {
                        return await AuditAsync(_page, state);
                    }
                    catch (PlaywrightException running) when (running.Message.Contains("Axe is already running", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(250));
                    }
                }
            }
            finally
            {
                _oneAtATime.Release();
            }
        }

        /// <summary>Waits for every audit started so far; throws listing every violation found.</summary>
        public async Task AssertNoViolationsAsync()
        {
            var reports = new List<string>();
            while (_audits.TryDequeue(out var audit))
            {
                if (await audit.WaitAsync(AuditTimeout) is { } report)
                {
                    reports.Add(report);
                }
            }

            if (reports.Count > 0)
            {
                throw new XunitException(string.Join("\n", reports.Distinct(StringComparer.Ordinal)));
            }
        }

        private async Task<string?> AuditLoadedAsync(IPage page, int load)
        {
            await _oneAtATime.WaitAsync();
            var navigations = Volatile.Read(ref _navigations);
            try
            {
                if (load != Volatile.Read(ref _loads))
                {
                    // A newer load replaced this page before its audit began: that load's audit sees the page.
                    return null;
                }

                var audit = AuditAsync(page, "as it loaded");
                if (await Task.WhenAny(audit, Task.Delay(_loadAuditTimeout)) != audit)
                {
                    // Hung (a busy page, a frame going away): abandoned, and awaited before the next audit.
                    _abandoned = audit.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                    return null;
                }

                var report = await audit;

                // The page navigated while axe-core ran (the test moved on): the result may describe the
                // next document half-parsed; that document's own load is audited when it loads.
                return navigations == Volatile.Read(ref _navigations) ? report : null;
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException
                && (navigations != Volatile.Read(ref _navigations) || (e is PlaywrightException p && MovedOn(page, p))))
            {
                // The test moved on (a navigation destroyed the page's context): the next state is audited when it loads.
                return null;
            }
            finally
            {
                _oneAtATime.Release();
            }
        }

        private static bool MovedOn(IPage page, PlaywrightException exception) =>
            page.IsClosed
            || exception.Message.Contains("context was destroyed", StringComparison.OrdinalIgnoreCase)
            || exception.Message.Contains("navigat", StringComparison.OrdinalIgnoreCase)
            || exception.Message.Contains("has been closed", StringComparison.OrdinalIgnoreCase)
            || exception.Message.Contains("axe is not defined", StringComparison.Ordinal);
    }
}
