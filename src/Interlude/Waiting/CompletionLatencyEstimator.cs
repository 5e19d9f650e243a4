namespace Interlude.Waiting;

/// <summary>
/// Exponentially weighted mean and mean absolute deviation of offload completion latency (submit to reap),
/// in Stopwatch ticks, and their decayed distribution (<see cref="Distribution"/>). Owner loop only.
/// </summary>
internal sealed class CompletionLatencyEstimator
{
    private const double Weight = 1.0 / 32;

    internal double MeanTicks { get; private set; }

    internal double DeviationTicks { get; private set; }

    internal long Samples { get; private set; }

    /// <summary>The latencies' decayed distribution: what is left of a wait already under way.</summary>
    internal CompletionTimeHistogram Distribution { get; } = new();

    internal void Record(long latencyTicks)
    {
        Distribution.Record(latencyTicks);
        if (Samples++ == 0)
        {
            MeanTicks = latencyTicks;
            DeviationTicks = latencyTicks / 2.0;
            return;
        }

        double error = latencyTicks - MeanTicks;
        MeanTicks += Weight * error;
        DeviationTicks += Weight * (Math.Abs(error) - DeviationTicks);
    }
}
