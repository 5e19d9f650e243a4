using System.Diagnostics;

namespace Interlude.Harness.Measurement;

/// <summary>
/// Brackets a measured period and reads what the waiting side spent in it (<see cref="WaitingCost"/>). Start
/// and stop on the thread whose usage <c>readUsage</c> reads when it reads the calling thread's.
/// </summary>
public sealed class WaitingCostMeter
{
    private readonly Func<ResourceUsage> _readUsage;
    private readonly Func<long>? _readLoopSleeps;
    private ResourceUsage _usage;
    private long _wall;
    private long _allocated;
    private long _sleeps;

    /// <param name="readUsage">Reads the waiting side's usage now.</param>
    /// <param name="readLoopSleeps">Reads the waiting loop's sleeps so far; null where no loop waits.</param>
    public WaitingCostMeter(Func<ResourceUsage> readUsage, Func<long>? readLoopSleeps = null)
    {
        ArgumentNullException.ThrowIfNull(readUsage);
        _readUsage = readUsage;
        _readLoopSleeps = readLoopSleeps;
    }

    /// <summary>The loop sleeps of <paramref name="group"/> so far, from its public statistics.</summary>
    public static long LoopSleeps(LoopGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        long sleeps = 0;
        foreach (LoopStatistics loop in group.GetStatistics())
        {
            sleeps += loop.Sleeps;
        }

        return sleeps;
    }

    // The readings nest: the allocation bracket inside the usage bracket, so that the readers' own allocations (a
    // statistics snapshot, /proc files) are not counted, and the wall time innermost.
    public void Start()
    {
        _sleeps = _readLoopSleeps?.Invoke() ?? 0;
        _usage = _readUsage();
        _allocated = GC.GetTotalAllocatedBytes(precise: true);
        _wall = Stopwatch.GetTimestamp();
    }

    public WaitingCost Stop()
    {
        long wall = Stopwatch.GetTimestamp() - _wall;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
        ResourceUsage usage = _readUsage() - _usage;
        long? sleeps = _readLoopSleeps is null ? null : _readLoopSleeps() - _sleeps;
        return new WaitingCost(usage, wall, allocated, sleeps);
    }
}
