namespace Interlude.Talk.Pipeline;

/// <summary>
/// An engine on threads of its own: a <see cref="CpuAccelerator"/> (Interlude's public device seam) whose work
/// functions are the engine's calls. A slide's coroutine offloads a call and is suspended; its loop serves the
/// other slides meanwhile and resumes it, on the loop's own thread, when the engine returns. The time spent in the
/// engine is summed per device for the run's report.
/// </summary>
internal sealed class EngineDevice : IDisposable
{
    private readonly CpuAccelerator _accelerator;

    // Written by the device threads (Interlocked.Add), read by the loop after the run.
    private long _busyTicks;

    // Written by the device threads (Interlocked.Increment), read by the loop after the run.
    private int _calls;

    public EngineDevice(string name, int threads = 1)
    {
        Name = name;
        // Engine calls take milliseconds to seconds: a device thread that spins after one wastes a core the other
        // engines need, so it sleeps as soon as its queue is empty.
        _accelerator = new CpuAccelerator(new CpuAcceleratorOptions { Threads = threads, IdleSpin = TimeSpan.Zero });
    }

    public string Name { get; }

    /// <summary>The time the engine's calls took, summed.</summary>
    public TimeSpan Busy => TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks));

    /// <summary>How many calls ran.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Runs <paramref name="work"/> on the engine's thread and completes with its result or its exception.</summary>
    public ValueTask<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken) =>
        _accelerator.SubmitAsync(
            static state =>
            {
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    return state.work();
                }
                finally
                {
                    Interlocked.Add(ref state.device._busyTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
                    Interlocked.Increment(ref state.device._calls);
                }
            },
            (work, device: this),
            cancellationToken);

    public void Dispose() => _accelerator.Dispose();
}
