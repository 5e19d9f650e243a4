using System.Diagnostics;
using Interlude.Loops;

namespace Interlude.Waiting;

/// <summary>
/// Spins while a completion is likely to arrive sooner than a sleep and wake would cost, sleeps on its own
/// core's timer through most of a long expected wait, and otherwise sleeps until woken; the decisions are
/// <see cref="AdaptivePolicy"/>'s.
/// </summary>
internal sealed class AdaptiveWait : IWaitStrategy
{
    private readonly AdaptivePolicy _policy;

    internal AdaptiveWait(AdaptiveWaitOptions options) => _policy = new AdaptivePolicy(options);

    internal AdaptivePolicy Policy => _policy;

    public void Idle(Loop loop, long idleSince)
    {
        long now = Stopwatch.GetTimestamp();
        IdleDecision decision = _policy.Decide(now, idleSince, loop.OutstandingOffloads, loop.Counters.LastSubmitAt, loop.LatencyEstimator);
        switch (decision.Action)
        {
            case IdleAction.Spin:
                Thread.SpinWait(1);
                break;
            case IdleAction.Sleep:
                loop.TrySleep(long.MaxValue);
                _policy.Woke(Stopwatch.GetTimestamp());
                break;
            default:
                if (loop.TrySleep(decision.SleepTicks))
                {
                    _policy.TimedSleepEnded(now + decision.SleepTicks, Stopwatch.GetTimestamp());
                }

                break;
        }
    }

    /// <summary>The spin window for the current state; see <see cref="AdaptivePolicy.SpinWindowTicks"/>.</summary>
    internal long SpinWindowTicks(int outstandingOffloads, CompletionLatencyEstimator latency)
        => _policy.SpinWindowTicks(outstandingOffloads, latency);
}
