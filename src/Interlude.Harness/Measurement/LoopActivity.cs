namespace Interlude.Harness.Measurement;

/// <summary>What a mode's loops did, summed over loops, since they started.</summary>
/// <param name="Sleeps">Times a loop went to sleep.</param>
/// <param name="NotifiedWakes">Times a sleeping loop was woken by a notification (a completion, a post).</param>
/// <param name="BusyTime">Time the loops spent running work rather than spinning idle or sleeping.</param>
public readonly record struct LoopActivity(long Sleeps, long NotifiedWakes, TimeSpan BusyTime)
{
    public static LoopActivity operator -(LoopActivity after, LoopActivity before)
        => new(after.Sleeps - before.Sleeps, after.NotifiedWakes - before.NotifiedWakes, after.BusyTime - before.BusyTime);
}
