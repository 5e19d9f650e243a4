using Interlude.Cli.Measurement;
using Interlude.Cli.Workload;

namespace Interlude.Cli.Modes;

/// <summary>
/// Thread per request, spinning: each request in flight has a dedicated thread that spins until the device
/// completes its offload (the seed's "busy wait"). With more threads than cores, the spinning threads take
/// turns at the scheduler's time slices.
/// </summary>
internal sealed class BusyWaitMode : IExecutionMode
{
    internal const string ModeName = "busywait";

    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromSeconds(10);

    private readonly CorePlacement _placement;
    private readonly DedicatedThreads _threads;

    internal BusyWaitMode(CorePlacement placement)
    {
        _placement = placement;
        _threads = new DedicatedThreads(placement.ApplicationCores, ModeName);
    }

    public string Name => ModeName;

    public string Title => "Busy-wait threads";

    public int ApplicationCores => _placement.ApplicationCores.Count;

    public int Stalls => 0;

    public IReadOnlyList<Thread> Threads => _threads.Threads;

    public Task<double> MeasureCpuWorkNsAsync(Action work, TimeSpan budget) => _threads.MeasureCpuWorkNsAsync(work, budget);

    public Task RunWorkersAsync(IReadOnlyList<LoadWorker> workers, SimulatedAccelerator device)
    {
        var port = new SpinningOffloadPort(device);
        return _threads.RunWorkersAsync(workers, () => port);
    }

    public LoopActivity? ReadLoopActivity() => null;

    public Task<string?> StopAsync()
        => Task.FromResult(_threads.Join(s_joinTimeout) is { } problem ? $"{Title}: {problem}" : null);
}
