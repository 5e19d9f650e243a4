using Interlude.Harness.Measurement;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Modes;

/// <summary>
/// Thread per request: each request in flight has a dedicated thread, pinned to the application cores, that
/// waits for its offload either by sleeping until the device thread wakes it (<see cref="Blocking"/>, the seed's
/// "context switch") or by spinning until it completes (<see cref="BusyWait"/>, the seed's "busy wait"; with more
/// threads than cores, the spinning threads take turns at the scheduler's time slices).
/// </summary>
public sealed class ThreadPerRequestMode : IExecutionMode
{
    public const string BlockingName = "blocking";
    public const string BusyWaitName = "busywait";

    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromSeconds(10);

    private readonly CorePlacement _placement;
    private readonly DedicatedThreads _threads;
    private readonly Func<SimulatedAccelerator, Func<IOffloadPort>> _ports;

    private ThreadPerRequestMode(string name, string title, CorePlacement placement, Func<SimulatedAccelerator, Func<IOffloadPort>> ports)
    {
        Name = name;
        Title = title;
        _placement = placement;
        _ports = ports;
        _threads = new DedicatedThreads(placement.ApplicationCores, name);
    }

    public string Name { get; }

    public string Title { get; }

    public int ApplicationCores => _placement.ApplicationCores.Count;

    // The device thread that completes an offload releases the blocked or spinning thread itself: one wake, like
    // an interrupt handler, and no ThreadPool hop.
    public bool NeedsInlineCompletions => true;

    public int Stalls => 0;

    public IReadOnlyList<Thread> Threads => _threads.Threads;

    // A port per thread: each has its own event to sleep on.
    public static ThreadPerRequestMode Blocking(CorePlacement placement)
        => new(BlockingName, "Blocking threads", placement, static device => () => new BlockingOffloadPort(device));

    // One port for all: spinning needs no per-thread state.
    public static ThreadPerRequestMode BusyWait(CorePlacement placement)
        => new(BusyWaitName, "Busy-wait threads", placement, static device =>
        {
            var port = new SpinningOffloadPort(device);
            return () => port;
        });

    public static bool IsThreadPerRequest(string name) => name.Trim().ToLowerInvariant() is BlockingName or BusyWaitName;

    public Task<double> MeasureCpuWorkNsAsync(Action work, TimeSpan budget) => _threads.MeasureCpuWorkNsAsync(work, budget);

    public Task RunWorkersAsync(IReadOnlyList<LoadWorker> workers, SimulatedAccelerator device)
        => _threads.RunWorkersAsync(workers, _ports(device));

    public LoopActivity? ReadLoopActivity() => null;

    public Task<string?> StopAsync()
        => Task.FromResult(_threads.Join(s_joinTimeout) is { } problem ? $"{Title}: {problem}" : null);
}
