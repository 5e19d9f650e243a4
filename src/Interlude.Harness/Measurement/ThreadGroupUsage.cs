namespace Interlude.Harness.Measurement;

/// <summary>
/// The CPU time of a set of this process's threads, read from /proc/self/task/TID/schedstat at any moment and from
/// any thread: what a run subtracts from the process's total to leave the application's share.
/// </summary>
public sealed class ThreadGroupUsage
{
    private readonly DeviceThreadUsage[] _threads;

    /// <summary>The threads with Linux ids <paramref name="osThreadIds"/>; where /proc is unavailable every reading is zero.</summary>
    public ThreadGroupUsage(IEnumerable<int> osThreadIds)
        => _threads = osThreadIds.Distinct().Select(DeviceThreadUsage.ForThread).ToArray();

    /// <summary>The threads' CPU time together now; a thread that has ended counts as zero. Any thread.</summary>
    public TimeSpan ReadCpu()
    {
        TimeSpan total = TimeSpan.Zero;
        foreach (DeviceThreadUsage thread in _threads)
        {
            try
            {
                total += thread.Read().CpuTime;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The thread ended; its time is gone from /proc (and the caller's interval has no use for it).
            }
        }

        return total;
    }
}
