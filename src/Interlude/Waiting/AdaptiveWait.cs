using System.Diagnostics;
using Interlude.Loops;

namespace Interlude.Waiting;

/// <summary>
/// Spins while a completion is likely to arrive sooner than a sleep and wake would cost, then sleeps.
/// </summary>
/// <remarks>
/// With offloads in flight the spin window is mean + k * deviation of the loop's recent completion latencies
/// (<see cref="CompletionLatencyEstimator"/>), clamped to [MinSpin, MaxSpin]; with none in flight it is
/// IdleSpin. The window is measured from the start of the idle streak.
/// </remarks>
internal sealed class AdaptiveWait : IWaitStrategy
{
    private readonly long _idleSpinTicks;
    private readonly long _minSpinTicks;
    private readonly long _maxSpinTicks;
    private readonly double _deviationFactor;

    internal AdaptiveWait(AdaptiveWaitOptions options)
    {
        _idleSpinTicks = ToTicks(options.IdleSpin);
        _minSpinTicks = ToTicks(options.MinSpin);
        _maxSpinTicks = ToTicks(options.MaxSpin);
        _deviationFactor = options.DeviationFactor;
    }

    public void Idle(Loop loop, long idleSince)
    {
        long window = SpinWindowTicks(loop.OutstandingOffloads, loop.LatencyEstimator);
        if (Stopwatch.GetTimestamp() - idleSince < window)
        {
            Thread.SpinWait(1);
            return;
        }

        loop.TrySleep(long.MaxValue);
    }

    /// <summary>The spin window for the current state; separate so it can be tested on its own.</summary>
    internal long SpinWindowTicks(int outstandingOffloads, CompletionLatencyEstimator latency)
    {
        if (outstandingOffloads == 0 || latency.Samples == 0)
        {
            return outstandingOffloads == 0 ? _idleSpinTicks : _maxSpinTicks;
        }

        double window = latency.MeanTicks + (_deviationFactor * latency.DeviationTicks);
        return Math.Clamp((long)window, _minSpinTicks, _maxSpinTicks);
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
