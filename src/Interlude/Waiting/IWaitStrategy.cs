namespace Interlude.Waiting;

/// <summary>
/// Decides what an idle loop does next, from the facts the loop gives it; the loop carries the decision out (it
/// alone spins, yields or sleeps). One instance per loop, called only on that loop's thread, so implementations
/// keep plain (unsynchronised) state.
/// </summary>
internal interface IWaitStrategy
{
    /// <summary>The loop found no work.</summary>
    IdleDecision Decide(in IdleFacts facts);

    /// <summary>
    /// A sleep decided at <paramref name="decidedAt"/> is over at <paramref name="now"/>; <paramref name="slept"/>
    /// is false when the loop found work while arming and did not sleep.
    /// </summary>
    void AfterSleep(in IdleDecision decision, long decidedAt, long now, bool slept);
}
