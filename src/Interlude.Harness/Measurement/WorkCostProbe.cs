using System.Diagnostics;

namespace Interlude.Harness.Measurement;

/// <summary>
/// Times a piece of work alone, single-threaded, over batches of about 250 microseconds, and takes the median
/// batch (or a lower quantile): that drops batches that a preemption or an interrupt landed in, so the figure is
/// the work's cost, not the machine's noise. It is taken around each configuration because the machine's speed
/// drifts.
/// </summary>
public static class WorkCostProbe
{
    private const int MinBatches = 5;
    private const int MaxCallsPerBatch = 1 << 24;
    private static readonly long s_batchTicks = Stopwatch.Frequency / 4000;

    /// <summary>
    /// Nanoseconds per call of <paramref name="work"/>, measured on the calling thread: the given quantile of the
    /// batches (0.5, the median, unless a lower one is asked for to see past other work sharing the machine).
    /// </summary>
    public static double MeasureNs(Action work, TimeSpan budget, double quantile = 0.5)
    {
        int calls = CallsPerBatch(work);
        var samples = new List<double>();
        long deadline = Stopwatch.GetTimestamp() + ToTicks(budget);
        do
        {
            samples.Add(TimeBatchNs(work, calls));
        }
        while (samples.Count < MinBatches || Stopwatch.GetTimestamp() < deadline);

        return Quantile(samples, quantile);
    }

    /// <summary>
    /// As <see cref="MeasureNs"/>, awaiting <paramref name="betweenBatches"/> after every batch so that an event
    /// loop running the probe keeps serving its other work and never looks stalled.
    /// </summary>
    public static async ValueTask<double> MeasureNsAsync(Action work, TimeSpan budget, Func<ValueTask> betweenBatches)
    {
        int calls = CallsPerBatch(work);
        var samples = new List<double>();
        long deadline = Stopwatch.GetTimestamp() + ToTicks(budget);
        do
        {
            samples.Add(TimeBatchNs(work, calls));
            await betweenBatches();
        }
        while (samples.Count < MinBatches || Stopwatch.GetTimestamp() < deadline);

        return Quantile(samples, 0.5);
    }

    private static int CallsPerBatch(Action work)
    {
        // The first calls also warm the code and the caches the work touches.
        int calls = 1;
        while (true)
        {
            long ticks = TimeBatchTicks(work, calls);
            if (ticks >= s_batchTicks || calls >= MaxCallsPerBatch)
            {
                return calls;
            }

            double scale = ticks <= 0 ? 16 : Math.Clamp((double)s_batchTicks / ticks, 2, 16);
            calls = (int)Math.Min(MaxCallsPerBatch, calls * scale);
        }
    }

    private static double TimeBatchNs(Action work, int calls) => TimeBatchTicks(work, calls) * (1e9 / Stopwatch.Frequency) / calls;

    private static long TimeBatchTicks(Action work, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            work();
        }

        return Stopwatch.GetTimestamp() - start;
    }

    private static double Quantile(List<double> samples, double quantile)
    {
        samples.Sort();
        double position = quantile * (samples.Count - 1);
        int below = (int)position;
        int above = Math.Min(below + 1, samples.Count - 1);
        return samples[below] + ((position - below) * (samples[above] - samples[below]));
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
