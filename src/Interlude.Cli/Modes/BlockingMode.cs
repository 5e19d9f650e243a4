using Interlude.Cli.Measurement;
using Interlude.Cli.Workload;

namespace Interlude.Cli.Modes;

/// <summary>
/// Thread per request, blocking: each request in flight has a dedicated thread that sleeps, without spinning,
/// until the device completes its offload and the device thread wakes it (the seed's "context switch").
/// </summary>
internal sealed class BlockingMode : IExecutionMode
{
    internal const string ModeName = "blocking";

    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromSeconds(10);

    private readonly CorePlacement _placement;
    private readonly DedicatedThreads _threads;

    internal BlockingMode(CorePlacement placement)
    {
        _placement = placement;
        _threads = new DedicatedThreads(placement.ApplicationCores, ModeName);
    }

    public string Name => ModeName;

    public string Title => "Blocking threads";

    public int ApplicationCores => _placement.ApplicationCores.Count;

    public int Stalls => 0;

    public IReadOnlyList<Thread> Threads => _threads.Threads;

    public Task<double> MeasureCpuWorkNsAsync(Action work, TimeSpan budget) => _threads.MeasureCpuWorkNsAsync(work, budget);

    // A port per thread: each has its own event to sleep on.
    public Task RunWorkersAsync(IReadOnlyList<LoadWorker> workers, SimulatedAccelerator device)
        => _threads.RunWorkersAsync(workers, () => new BlockingOffloadPort(device));

    public LoopActivity? ReadLoopActivity() => null;

    public Task<string?> StopAsync()
        => Task.FromResult(_threads.Join(s_joinTimeout) is { } problem ? $"{Title}: {problem}" : null);
}
