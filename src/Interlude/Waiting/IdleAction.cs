namespace Interlude.Waiting;

/// <summary>What an idle loop does next, as its wait strategy decides.</summary>
internal enum IdleAction
{
    /// <summary>Pause for a moment (the CPU's pause hint) and poll again.</summary>
    Spin,

    /// <summary>Offer the core to another thread once, then poll again.</summary>
    Yield,

    /// <summary>Arm every poller and sleep until a device, a timer or another thread wakes the loop.</summary>
    Sleep,

    /// <summary>Arm and sleep, but at most for the decision's sleep length (a timer on the loop's own core).</summary>
    TimedSleep,
}
