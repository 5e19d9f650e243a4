namespace Interlude;

/// <summary>
/// What every <see cref="Accelerator"/> built on device threads is configured with: its threads, where they run,
/// how far each loop may run ahead of the device, and how an idle device thread waits. A device's own options
/// derive from it and add what is particular to the device.
/// </summary>
public class AcceleratorOptions
{
    /// <summary>Device threads. Each serves a share of the loops' channels.</summary>
    /// <remarks>Defaults to 1.</remarks>
    public int Threads { get; set; } = 1;

    /// <summary>Cores to pin the device threads to, in order (thread i on core i modulo the count); null leaves them unpinned.</summary>
    /// <remarks>Defaults to null.</remarks>
    public IReadOnlyList<int>? Cores { get; set; }

    /// <summary>
    /// Operations one loop may have outstanding on the device before its submissions wait (a power of two, at
    /// least 2). It is also the size of each (loop, device) ring pair.
    /// </summary>
    /// <remarks>Defaults to 1,024.</remarks>
    public int RingCapacity { get; set; } = 1024;

    /// <summary>
    /// Submissions one loop may have waiting for ring space on the device (beyond the <see cref="RingCapacity"/> in
    /// its rings) before <see cref="Overflow"/> applies; 0 lets none wait. The bound keeps memory flat under
    /// sustained overload.
    /// </summary>
    /// <remarks>Defaults to 4,096.</remarks>
    public int MaxQueuedSubmissions { get; set; } = 4096;

    /// <summary>What a submission does when the rings are full and <see cref="MaxQueuedSubmissions"/> already wait.</summary>
    /// <remarks>Defaults to <see cref="OffloadOverflow.Reject"/>.</remarks>
    public OffloadOverflow Overflow { get; set; } = OffloadOverflow.Reject;

    /// <summary>
    /// How long <see cref="Accelerator.Dispose()"/> waits for each device thread to stop. A thread stuck in a work
    /// function that never returns is left behind (and reported through the <c>Interlude</c> EventSource); the
    /// operations it holds complete only if it ever returns, or fail when their loop group stops.
    /// </summary>
    /// <remarks>Defaults to 5 seconds.</remarks>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an idle device thread spins before it sleeps; infinite keeps it spinning like hardware.</summary>
    /// <remarks>Defaults to 100 microseconds.</remarks>
    public TimeSpan IdleSpin { get; set; } = TimeSpan.FromMicroseconds(100);

    /// <summary>
    /// For operations submitted off any loop: run a continuation that captured no context (an await with
    /// <c>ConfigureAwait(false)</c>, or a synchronous waiter's callback) on the device thread that completes the
    /// operation, instead of queuing it to the ThreadPool. Meant for callers that block a thread on the result
    /// and whose continuation only releases it: anything longer runs on, and holds up, the device. Operations
    /// submitted on a loop are unaffected: they always resume on their loop.
    /// </summary>
    /// <remarks>Defaults to false.</remarks>
    public bool UnsafeInlineCompletions { get; set; }

    /// <summary>The most device threads a device accepts.</summary>
    protected virtual int MaxThreads => 256;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first bad option. Called by the
    /// <see cref="Accelerator"/> constructor; a derived class that adds options validates them after calling this.
    /// </summary>
    public virtual void Validate()
    {
        if (Threads < 1 || Threads > MaxThreads)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, $"Threads must be between 1 and {MaxThreads}.");
        }

        if (RingCapacity < 2 || (RingCapacity & (RingCapacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RingCapacity), RingCapacity, "RingCapacity must be a power of two >= 2.");
        }

        if (StopTimeout < TimeSpan.Zero && StopTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(StopTimeout), StopTimeout, "StopTimeout must be non-negative or infinite.");
        }

        if (MaxQueuedSubmissions < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedSubmissions), MaxQueuedSubmissions, "MaxQueuedSubmissions must be non-negative.");
        }

        if (!Enum.IsDefined(Overflow))
        {
            throw new ArgumentOutOfRangeException(nameof(Overflow), Overflow, "Overflow must be Reject or ShedOldest.");
        }

        if (IdleSpin < TimeSpan.Zero && IdleSpin != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleSpin), IdleSpin, "IdleSpin must be non-negative or infinite.");
        }

        if (Cores is not null && (Cores.Count == 0 || Cores.Any(c => c < 0)))
        {
            throw new ArgumentException("Cores, when given, must list non-negative core numbers.", nameof(Cores));
        }

        CpuAffinity.ValidateCores(Cores, nameof(Cores));
    }
}
