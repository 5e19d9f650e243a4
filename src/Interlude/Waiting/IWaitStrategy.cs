using Interlude.Loops;

namespace Interlude.Waiting;

/// <summary>
/// Decides what an idle loop does for one idle iteration. One instance per loop, called only on that loop's
/// thread, so implementations keep plain (unsynchronised) state.
/// </summary>
internal interface IWaitStrategy
{
    /// <summary>The loop found no work; <paramref name="idleSince"/> is when this idle streak began (ticks).</summary>
    void Idle(Loop loop, long idleSince);
}
