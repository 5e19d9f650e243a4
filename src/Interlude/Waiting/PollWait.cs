using Interlude.Loops;

namespace Interlude.Waiting;

/// <summary>
/// Never sleeps; pauses for a moment between idle polls. After a long idle streak it yields the core once per
/// <see cref="YieldEvery"/> idle iterations, so a polling loop on an oversubscribed machine does not starve a
/// thread it waits for; when nothing else is runnable the yield returns at once.
/// </summary>
internal sealed class PollWait : IWaitStrategy
{
    private const int YieldEvery = 1 << 14;

    // The shortest pause (one normalized spin, a few dozen nanoseconds): it keeps the time from a completion's
    // arrival to its discovery small while still issuing the CPU's pause hint between polls.
    private const int SpinPause = 1;

    private int _idleIterations;

    public void Idle(Loop loop, long idleSince)
    {
        if (++_idleIterations % YieldEvery == 0)
        {
            Thread.Yield();
        }
        else
        {
            Thread.SpinWait(SpinPause);
        }
    }
}
