namespace Interlude.Native;

/// <summary>
/// The calling thread's timer slack (Linux <c>PR_SET_TIMERSLACK</c>): how much later than asked the kernel may end
/// the thread's timed sleeps (futex and epoll timeouts, nanosleep), so that it can batch wake-ups. Linux gives
/// ordinary threads 50 microseconds, which a loop's timed sleeps (the adaptive policy's sleep to just before a
/// completion, a due timer) would pay on every wake. Elsewhere nothing is set and the calls say so.
/// </summary>
internal static class TimerSlack
{
    /// <summary>Sets the calling thread's slack to <paramref name="slack"/> (at least 1 ns). Returns whether it was set.</summary>
    internal static bool TrySetForCurrentThread(TimeSpan slack)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // 0 would restore the thread's default slack, not remove it: the least the kernel takes is 1 ns.
        long ns = Math.Max(1, (long)(slack.Ticks * (1_000_000_000 / TimeSpan.TicksPerSecond)));
        return LinuxNative.prctl(LinuxNative.PrSetTimerSlack, (nuint)ns, 0, 0, 0) == 0;
    }

    /// <summary>The calling thread's slack in nanoseconds, or -1 where it cannot be read.</summary>
    internal static long CurrentThreadNs()
        => OperatingSystem.IsLinux() ? LinuxNative.prctl(LinuxNative.PrGetTimerSlack, 0, 0, 0, 0) : -1;
}
