namespace Interlude;

/// <summary>Configuration of a <see cref="CompletionDispatcher"/>.</summary>
public sealed class CompletionDispatcherOptions
{
    /// <summary>The core the dispatcher thread runs on; the threads it serves should run there too.</summary>
    /// <remarks>Defaults to null: the first core this process may run on.</remarks>
    public int? Core { get; set; }

    /// <summary>The most threads that may offload through the dispatcher (1 to 4,096).</summary>
    /// <remarks>Defaults to 64. The slot of a thread that has ended is reused.</remarks>
    public int MaxOwners { get; set; } = 64;

    /// <summary>
    /// How long the dispatcher keeps polling, with at least one thread waiting, since it last woke one or was
    /// woken, before it sleeps until a completion signals it. <see cref="Timeout.InfiniteTimeSpan"/> polls for as
    /// long as any thread waits.
    /// </summary>
    /// <remarks>
    /// Defaults to 1 millisecond. At idle priority the polling takes no time from other threads on the core, but
    /// it keeps the core from idling; a completion that arrives after the window pays a cross-core wake of the
    /// dispatcher plus a same-core wake of its owner.
    /// </remarks>
    public TimeSpan PollWindow { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// How long a thread that has just submitted watches for its completion before it sleeps (zero to one
    /// millisecond). A completion within the window costs no sleep and no wake at all; a longer one costs the
    /// window in CPU time on top of the usual wake.
    /// </summary>
    /// <remarks>Defaults to 2 microseconds: about what a sleep and a same-core wake cost.</remarks>
    public TimeSpan OwnerSpin { get; set; } = TimeSpan.FromMicroseconds(2);

    /// <summary>
    /// Run the dispatcher thread under <c>SCHED_IDLE</c>, so that it runs only when nothing else on its core can
    /// and a thread it wakes preempts it at once. When false, or when Linux refuses, it yields the core after
    /// each wake instead (<see cref="CompletionDispatcher.RunsAtIdlePriority"/> says which applies).
    /// </summary>
    /// <remarks>Defaults to true.</remarks>
    public bool UseIdlePriority { get; set; } = true;

    /// <summary>
    /// Pin each thread to <see cref="Core"/> on its first offload through the dispatcher, so that its wake is a
    /// same-core wake. The pinning is permanent for that thread; leave it off for threads you pin yourself, and
    /// never offload from ThreadPool threads with it on.
    /// </summary>
    /// <remarks>Defaults to true.</remarks>
    public bool PinOwners { get; set; } = true;

    internal void Validate()
    {
        if (Core is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Core), Core, "Core must be a non-negative core number.");
        }

        if (MaxOwners < 1 || MaxOwners > Primitives.ReadinessSummary.MaxQueues)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOwners), MaxOwners, $"MaxOwners must be between 1 and {Primitives.ReadinessSummary.MaxQueues}.");
        }

        if (PollWindow < TimeSpan.Zero && PollWindow != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(PollWindow), PollWindow, "PollWindow must be non-negative or infinite.");
        }

        if (OwnerSpin < TimeSpan.Zero || OwnerSpin > TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(OwnerSpin), OwnerSpin, "OwnerSpin must be between zero and one millisecond.");
        }

        if (Core is int core)
        {
            CpuAffinity.ValidateCores([core], nameof(Core));
        }
    }
}
