using Interlude.Harness.Measurement;
using Interlude.Harness.Workload;

namespace Interlude.Harness.Modes;

/// <summary>
/// Where and how the workers of a run execute the handler: on Interlude's loops, or (other modes) on blocking
/// threads, spinning threads or the ThreadPool. The load generator and the measurements are the same for all.
/// </summary>
public interface IExecutionMode
{
    /// <summary>Machine-readable name, for example "interlude-poll".</summary>
    string Name { get; }

    /// <summary>Human-readable name for tables.</summary>
    string Title { get; }

    /// <summary>Cores the application runs on (the throughput bound is per core).</summary>
    int ApplicationCores { get; }

    /// <summary>
    /// Whether the device this mode offloads to must be created with
    /// <see cref="AcceleratorOptions.UnsafeInlineCompletions"/>: the mode's threads block or spin off any loop, and
    /// the device thread that completes an offload releases its thread directly rather than through the ThreadPool.
    /// </summary>
    bool NeedsInlineCompletions { get; }

    /// <summary>Stalls reported so far (a step running too long on an application thread).</summary>
    int Stalls { get; }

    /// <summary>Times <paramref name="work"/> alone, single-threaded, where the handlers run; nanoseconds per call.</summary>
    Task<double> MeasureCpuWorkNsAsync(Action work, TimeSpan budget);

    /// <summary>
    /// Starts every worker, offloading to <paramref name="device"/> through the mode's own port; the task
    /// completes when all have ended (and faults if one failed).
    /// </summary>
    Task RunWorkersAsync(IReadOnlyList<LoadWorker> workers, SimulatedAccelerator device);

    /// <summary>The threads the mode started (loops or dedicated threads), which end by <see cref="StopAsync"/>; empty for a mode that borrows the ThreadPool's.</summary>
    IReadOnlyList<Thread> Threads { get; }

    /// <summary>Sleeps and wakes of the mode's loops so far; null for a mode without loops.</summary>
    LoopActivity? ReadLoopActivity();

    /// <summary>Stops the mode's threads. Returns a description of anything that did not stop cleanly, or null.</summary>
    Task<string?> StopAsync();
}
