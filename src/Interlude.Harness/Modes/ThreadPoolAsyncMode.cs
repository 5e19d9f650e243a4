using Interlude.Harness.Measurement;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Modes;

/// <summary>
/// What .NET does by default: each worker is an async method started with Task.Run, the offload is an ordinary
/// await of the device's SubmitAsync from off any loop, and the device's completion resumes the handler through
/// the ThreadPool. The ThreadPool is confined to the application cores while the mode runs.
/// </summary>
public sealed class ThreadPoolAsyncMode : IExecutionMode
{
    public const string ModeName = "threadpool";

    private readonly CorePlacement _placement;

    // Applied on first use and undone by StopAsync; both on the controlling thread.
    private ThreadPoolConfinement? _confinement;

    public ThreadPoolAsyncMode(CorePlacement placement) => _placement = placement;

    public string Name => ModeName;

    public string Title => "ThreadPool async";

    public int ApplicationCores => _placement.ApplicationCores.Count;

    // The ThreadPool continuation is what this mode stands for.
    public bool NeedsInlineCompletions => false;

    public int Stalls => 0;

    public IReadOnlyList<Thread> Threads => [];

    public Task<double> MeasureCpuWorkNsAsync(Action work, TimeSpan budget)
    {
        Confine();
        return Task.Run(() => WorkCostProbe.MeasureNs(work, budget));
    }

    public Task RunWorkersAsync(IReadOnlyList<LoadWorker> workers, SimulatedAccelerator device)
    {
        Confine();

        // Off any loop, the device's ordinary submission takes the library's fallback path: its continuation
        // goes through the ThreadPool.
        var port = new DeviceOffloadPort(device);
        var running = new Task[workers.Count];
        for (int i = 0; i < workers.Count; i++)
        {
            LoadWorker worker = workers[i];
            running[i] = Task.Run(() => worker.RunAsync(port).AsTask());
        }

        return Task.WhenAll(running);
    }

    public LoopActivity? ReadLoopActivity() => null;

    public Task<string?> StopAsync()
    {
        _confinement?.Restore();
        _confinement = null;
        return Task.FromResult<string?>(null);
    }

    private void Confine() => _confinement ??= ThreadPoolConfinement.Apply(_placement.ApplicationCores);
}
