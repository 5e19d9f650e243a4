namespace Interlude.Waiting;

/// <summary>
/// The share of its core an adaptive loop may spend spinning for completions, enforced over a window: a token
/// bucket that fills at the budget's rate (a tick of spin for every 1/share ticks of wall time) up to a window's
/// worth, and empties as the loop spins. A spin is begun only when the bucket holds all of it, so over any long
/// stretch the spin time stays within the share, however often the loop waits. Owner loop only; every method
/// takes the time in Stopwatch ticks, so it is tested with a deterministic clock.
/// </summary>
internal sealed class SpinBudget
{
    private readonly double _share;
    private readonly double _capacity;
    private double _tokens;
    private long _last;
    private bool _started;

    internal SpinBudget(double share, long windowTicks)
    {
        _share = share;
        _capacity = share * windowTicks;
        _tokens = _capacity;
    }

    /// <summary>Spin time the loop may still begin now, in ticks (negative after spins that ran over).</summary>
    internal double Available => _tokens;

    /// <summary>Spin time spent so far, in ticks.</summary>
    internal long SpunTicks { get; private set; }

    /// <summary>Time passed until <paramref name="now"/>; <paramref name="spinning"/>: the loop spun all of it.</summary>
    internal void Advance(long now, bool spinning)
    {
        if (!_started)
        {
            _started = true;
            _last = now;
            return;
        }

        long elapsed = now - _last;
        if (elapsed <= 0)
        {
            return;
        }

        _last = now;
        if (spinning)
        {
            SpunTicks += elapsed;
            _tokens -= elapsed;
        }

        // Spins that overran (polling mode, a late completion) are repaid, but the debt is bounded by one window
        // so the loop can spin again within a window of ordinary waiting.
        _tokens = Math.Clamp(_tokens + (_share * elapsed), -_capacity, _capacity);
    }

    /// <summary>Whether a spin of <paramref name="ticks"/> fits in what the budget holds now.</summary>
    internal bool CanAfford(long ticks) => ticks <= _tokens;
}
