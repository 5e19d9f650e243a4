using Interlude.Loops;

namespace Interlude.Waiting;

/// <summary>
/// Never sleeps; pauses briefly between idle polls. After a long idle streak it yields the core once per <see cref="YieldEvery"/> idle
/// iterations, so a polling loop on an oversubscribed machine does not starve a thread it waits for; when
/// nothing else is runnable the yield returns at once.
/// </summary>
internal sealed class PollWait : IWaitStrategy
{
    private const int YieldEvery = 1 << 14;

    // Pause between idle polls (a fraction of a microsecond). Re-reading a completion ring's tail in a tighter
    // loop keeps stealing that cache line from the device thread that writes it and slows the device down
    // (docs/design/runtime.md, "Poll").
    private const int SpinPause = 16;

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
