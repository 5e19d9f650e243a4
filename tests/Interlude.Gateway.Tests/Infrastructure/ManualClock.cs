namespace Interlude.Gateway.Tests.Infrastructure;

/// <summary>
/// The system clock plus an offset a test moves: tokens issued and checked "later" without waiting. A test that
/// counts seconds to a boundary freezes it first, so the time its own requests take cannot carry it across.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private long _offsetTicks;

    // UTC ticks the clock stands at, or 0 while it follows the system clock.
    private long _frozenTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow()
    {
        long frozen = Interlocked.Read(ref _frozenTicks);
        return (frozen == 0 ? base.GetUtcNow() : new DateTimeOffset(frozen, TimeSpan.Zero)) + Offset;
    }

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Stops the clock where it is; only <see cref="Advance"/> moves it until <see cref="Reset"/>.</summary>
    public void Freeze() => Interlocked.Exchange(ref _frozenTicks, base.GetUtcNow().UtcTicks);

    public void Reset()
    {
        Interlocked.Exchange(ref _offsetTicks, 0);
        Interlocked.Exchange(ref _frozenTicks, 0);
    }
}
