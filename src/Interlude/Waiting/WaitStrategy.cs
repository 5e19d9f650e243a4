namespace Interlude;

/// <summary>What a loop does when it has nothing to run.</summary>
public enum WaitStrategy
{
    /// <summary>Spin on the loop's pollers: lowest latency, the core stays busy.</summary>
    Poll,

    /// <summary>Arm every poller and sleep until a completion, a post or a timer wakes the loop: no idle CPU.</summary>
    Block,

    /// <summary>Spin for a window sized from the observed completion latency, then sleep.</summary>
    Adaptive,
}
