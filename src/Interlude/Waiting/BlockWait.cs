namespace Interlude.Waiting;

/// <summary>Sleeps as soon as the loop is idle: every poller armed, the thread parked until woken.</summary>
internal sealed class BlockWait : IWaitStrategy
{
    public IdleDecision Decide(in IdleFacts facts) => new(IdleAction.Sleep);

    public void AfterSleep(in IdleDecision decision, long decidedAt, long now, bool slept)
    {
    }
}
