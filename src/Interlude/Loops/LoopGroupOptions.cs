namespace Interlude;

/// <summary>Configuration of a <see cref="LoopGroup"/>.</summary>
public sealed class LoopGroupOptions
{
    /// <summary>Number of loops.</summary>
    /// <remarks>Defaults to one per core this process may run on (or to the length of <see cref="Cores"/>).</remarks>
    public int? LoopCount { get; set; }

    /// <summary>Cores to pin the loops to, one per loop, in order; loops beyond the list wrap around.</summary>
    /// <remarks>Defaults to the cores this process may run on, ascending.</remarks>
    public IReadOnlyList<int>? Cores { get; set; }

    /// <summary>Whether loop threads are pinned to their cores (Linux only; elsewhere they run unpinned).</summary>
    /// <remarks>Defaults to true.</remarks>
    public bool PinThreads { get; set; } = true;

    /// <summary>What an idle loop does.</summary>
    /// <remarks>Defaults to <see cref="Interlude.WaitStrategy.Adaptive"/>.</remarks>
    public WaitStrategy WaitStrategy { get; set; } = WaitStrategy.Adaptive;

    /// <summary>Parameters of the adaptive strategy.</summary>
    public AdaptiveWaitOptions Adaptive { get; set; } = new();

    /// <summary>A step on a loop running longer than this is reported as a stall; zero disables the detector.</summary>
    /// <remarks>Defaults to 10 milliseconds.</remarks>
    public TimeSpan StallThreshold { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Initial capacity of each loop's local run queue (it grows when needed).</summary>
    /// <remarks>Defaults to 1,024.</remarks>
    public int InitialRunQueueCapacity { get; set; } = 1024;

    /// <summary>How each loop finds which of its device channels have completions (see <see cref="Interlude.CompletionScan"/>).</summary>
    /// <remarks>Defaults to <see cref="CompletionScan.Auto"/>.</remarks>
    public CompletionScan CompletionScan { get; set; } = CompletionScan.Auto;

    /// <summary>
    /// The timer slack of each loop thread (Linux only): how much later than asked the kernel may end the loop's timed
    /// sleeps, the adaptive policy's sleep to just before an expected completion and the sleep until a due timer.
    /// Null leaves the kernel's default, 50 microseconds for an ordinary thread.
    /// </summary>
    /// <remarks>
    /// Defaults to 1 microsecond: with the kernel's 50, a sleeping loop's timer of 10 to 300 microseconds ended 76 to
    /// 100 microseconds late at the median on the 2-core virtual machines of docs/benchmarks.md, against 15 to 46 with
    /// 1 microsecond (<c>interlude bench wake --sections timers</c>); a timed sleep that ends that late costs the loop
    /// the wake it was meant to avoid. Other systems ignore it.
    /// </remarks>
    public TimeSpan? TimerSlack { get; set; } = TimeSpan.FromMicroseconds(1);

    /// <summary>
    /// Checks every setting, as the <see cref="LoopGroup"/> constructor does: throws an
    /// <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> names the property at fault
    /// (<c>Adaptive</c> for a setting of <see cref="Adaptive"/>), for example to refuse a configuration at start.
    /// </summary>
    public void Validate()
    {
        if (LoopCount is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(LoopCount), LoopCount, "LoopCount must be between 1 and 1024.");
        }

        if (Cores is { Count: 0 })
        {
            throw new ArgumentException("Cores, when given, must name at least one core.", nameof(Cores));
        }

        if (Cores is not null && Cores.Any(c => c < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Cores), "Core numbers must be non-negative.");
        }

        if (!Enum.IsDefined(WaitStrategy))
        {
            throw new ArgumentOutOfRangeException(nameof(WaitStrategy), WaitStrategy, "Unknown wait strategy: use Poll, Block or Adaptive.");
        }

        if (StallThreshold < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StallThreshold), StallThreshold, "StallThreshold must be non-negative.");
        }

        if (TimerSlack is { } slack && slack <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TimerSlack), slack, "TimerSlack must be positive (null keeps the kernel's default).");
        }

        if (InitialRunQueueCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialRunQueueCapacity), InitialRunQueueCapacity, "Must be positive.");
        }

        ArgumentNullException.ThrowIfNull(Adaptive, nameof(Adaptive));
        try
        {
            Adaptive.Validate();
        }
        catch (ArgumentException e) when (e.ParamName is null)
        {
            throw new ArgumentException(e.Message, nameof(Adaptive), e);
        }
    }
}
