namespace Interlude.Waiting;

/// <summary>
/// Never sleeps; pauses for a moment between idle polls. Once per <see cref="YieldEvery"/> idle iterations it
/// yields the core, so a polling loop on an oversubscribed machine does not starve a thread it waits for; when
/// nothing else is runnable the yield returns at once.
/// </summary>
internal sealed class PollWait : IWaitStrategy
{
    private const int YieldEvery = 1 << 14;

    private int _idleIterations;

    public IdleDecision Decide(in IdleFacts facts)
        => new(++_idleIterations % YieldEvery == 0 ? IdleAction.Yield : IdleAction.Spin);

    public void AfterSleep(in IdleDecision decision, long decidedAt, long now, bool slept)
    {
    }
}
