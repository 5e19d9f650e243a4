using Interlude.Loops;

namespace Interlude.Waiting;

/// <summary>Sleeps as soon as the loop is idle: every poller armed, the thread parked until woken.</summary>
internal sealed class BlockWait : IWaitStrategy
{
    public void Idle(Loop loop, long idleSince) => loop.TrySleep(long.MaxValue);
}
