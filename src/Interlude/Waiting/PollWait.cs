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

    // Pause between idle polls (~0.2-0.5 us). Re-reading the completion ring's tail in a tighter loop keeps
    // stealing that cache line from the device thread that writes it, which slowed completions by 1.5-2x in
    // a 64-in-flight run on the 2-core development VM (docs/design/runtime.md).
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
