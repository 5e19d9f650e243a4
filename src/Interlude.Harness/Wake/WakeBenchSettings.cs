namespace Interlude.Harness.Wake;

/// <summary>How long and where <c>interlude bench wake</c> measures.</summary>
/// <param name="WaiterCore">The core of the waiting side (loop, dispatcher, waiting thread).</param>
/// <param name="DeviceCore">The core of the device (or waking thread) for cross-core rows.</param>
/// <param name="PointDuration">Measured time per row, after its warm-up.</param>
/// <param name="WarmUp">Time per row run first and not counted.</param>
/// <param name="MaxSamples">A row stops early after this many samples.</param>
/// <param name="GapsUs">Idle gaps before each completion, in microseconds.</param>
/// <param name="QueueCounts">Completion queue counts of the queue sweep.</param>
/// <param name="Loads">Offered loads (fractions of the waiting core) of the adaptive sweep.</param>
public sealed record WakeBenchSettings(
    int WaiterCore,
    int DeviceCore,
    TimeSpan PointDuration,
    TimeSpan WarmUp,
    int MaxSamples,
    IReadOnlyList<int> GapsUs,
    IReadOnlyList<int> QueueCounts,
    IReadOnlyList<double> Loads)
{
    public static readonly int[] DefaultGapsUs = [0, 50, 200, 1000];
    public static readonly int[] DefaultQueueCounts = [1, 16, 256, 1024];
    public static readonly double[] DefaultLoads = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6];

    public static WakeBenchSettings For(int waiterCore, int deviceCore, bool quick) => new(
        waiterCore,
        deviceCore,
        TimeSpan.FromMilliseconds(quick ? 60 : 600),
        TimeSpan.FromMilliseconds(quick ? 20 : 100),
        quick ? 2_000 : 50_000,
        DefaultGapsUs,
        quick ? [1, 16, 256] : DefaultQueueCounts,
        DefaultLoads);

    /// <summary>The adaptive loop's <see cref="AdaptiveWaitOptions.SpinBudget"/> in the adaptive sweep; null: the default.</summary>
    public double? SpinBudget { get; init; }

    /// <summary>
    /// The adaptive loop's <see cref="AdaptiveWaitOptions.EnterPollingLoad"/> in the adaptive sweep (its
    /// <see cref="AdaptiveWaitOptions.ExitPollingLoad"/> lowered to it where higher); null: the defaults.
    /// </summary>
    public double? EnterPollingLoad { get; init; }

    /// <summary>Whether the waiting and the waking side have cores of their own.</summary>
    public bool HasTwoCores => WaiterCore != DeviceCore;
}
