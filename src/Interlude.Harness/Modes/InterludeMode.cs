using System.Diagnostics;
using Interlude.Harness.Measurement;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Modes;

/// <summary>
/// The handlers run as coroutines on Interlude loops, one loop pinned to each application core; the loop
/// reaps device completions and resumes the awaiting coroutine inline. The wait strategy decides what an idle
/// loop does.
/// </summary>
public sealed class InterludeMode : IExecutionMode
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(5);
    private static readonly Func<ValueTask> s_yield = static async () => await Loop.Yield();
    private static readonly Func<ValueTask<Thread>> s_currentThread = static () => ValueTask.FromResult(Thread.CurrentThread);

    private readonly LoopGroup _group;
    private readonly WaitStrategy _strategy;
    private readonly string _name;

    // When the loops started, to within the few microseconds the constructor takes to return: LoopStatistics
    // gives the busy share of each loop's life, and the busy time is that share of the life so far.
    private readonly long _startedAt;

    // Each loop's thread, as the loop itself reports it: the runtime does not hand its threads out.
    private readonly Task<Thread>[] _threads;
    private int _stalls;

    /// <param name="strategy">What an idle loop does.</param>
    /// <param name="placement">The loops run on its application cores.</param>
    /// <param name="stallThreshold">The stall detector's threshold (zero: off); null keeps the runtime's default.</param>
    /// <param name="name">The name to report; null gives "interlude-" and the strategy.</param>
    public InterludeMode(WaitStrategy strategy, CorePlacement placement, TimeSpan? stallThreshold, string? name = null)
    {
        _strategy = strategy;
        _name = name ?? $"interlude-{strategy.ToString().ToLowerInvariant()}";
        var options = new LoopGroupOptions
        {
            LoopCount = placement.ApplicationCores.Count,
            Cores = placement.ApplicationCores,
            WaitStrategy = strategy,
        };
        if (stallThreshold is { } threshold)
        {
            options.StallThreshold = threshold;
        }

        _group = new LoopGroup(options);

        _startedAt = Stopwatch.GetTimestamp();
        _threads = new Task<Thread>[_group.Count];
        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = _group[i].RunAsync(s_currentThread);
        }

        // Counted and shown with the results rather than written to standard error in the middle of them.
        _group.Stalled += (_, _) => Interlocked.Increment(ref _stalls);
    }

    public string Name => _name;

    public string Title => $"Interlude / {_strategy}";

    public int ApplicationCores => _group.Count;

    // Offloads submitted on a loop always resume on it; the option would change nothing.
    public bool NeedsInlineCompletions => false;

    public int Stalls => Volatile.Read(ref _stalls);

    public Task<double> MeasureCpuWorkNsAsync(Action work, TimeSpan budget)
        => _group[0].RunAsync(() => WorkCostProbe.MeasureNsAsync(work, budget, s_yield));

    // Each loop answered as soon as it started, long before anyone asks.
    public IReadOnlyList<Thread> Threads => _threads.Select(t => t.GetAwaiter().GetResult()).ToArray();

    public Task RunWorkersAsync(IReadOnlyList<LoadWorker> workers, SimulatedAccelerator device)
    {
        // On a loop, the device's ordinary submission goes to the loop's own channel and resumes inline.
        var port = new DeviceOffloadPort(device);
        var running = new Task[workers.Count];
        for (int i = 0; i < workers.Count; i++)
        {
            LoadWorker worker = workers[i];
            running[i] = _group.RunAsync(() => worker.RunAsync(port));
        }

        return Task.WhenAll(running);
    }

    public LoopActivity? ReadLoopActivity()
    {
        long sleeps = 0;
        long wakes = 0;
        double busyFractions = 0;
        TimeSpan life = Stopwatch.GetElapsedTime(_startedAt);
        foreach (LoopStatistics loop in _group.GetStatistics())
        {
            sleeps += loop.Sleeps;
            wakes += loop.NotifiedWakes;
            busyFractions += loop.BusyFraction;
        }

        return new LoopActivity(sleeps, wakes, life * busyFractions);
    }

    public async Task<string?> StopAsync()
    {
        ShutdownReport report = await _group.StopAsync(s_drainTimeout).ConfigureAwait(false);
        if (report.Drained && report.Abandoned == 0)
        {
            return null;
        }

        return $"{Title}: the loop group did not drain cleanly (drained: {report.Drained}, cancelled offloads: "
            + $"{report.CancelledOffloads}, cancelled timers: {report.CancelledTimers}, abandoned coroutines: {report.Abandoned}).";
    }
}
