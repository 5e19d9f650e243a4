using System.Diagnostics;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Wake;

/// <summary>
/// The measuring loop shared by the ping rows: one offload in flight at a time, each returning the device's
/// timestamp taken just before it publishes the completion, subtracted from the waiter's timestamp right after
/// it resumes. Warm-up samples are discarded; then samples are recorded until the row's time or sample budget
/// is spent.
/// </summary>
public static class PingSampler
{
    /// <summary>Device work: idles (spinning, as hardware would be busy) for the gap, then stamps the completion.</summary>
    public static readonly Func<long, long> CompleteAfter = static gapTicks =>
    {
        if (gapTicks > 0)
        {
            long until = Stopwatch.GetTimestamp() + gapTicks;
            while (Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(4);
            }
        }

        return Stopwatch.GetTimestamp();
    };

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static long Ticks(int microseconds) => Ticks(TimeSpan.FromMicroseconds(microseconds));

    /// <summary>
    /// Runs warm-up then measurement with <paramref name="ping"/> returning each completion's stamp;
    /// <paramref name="meter"/> brackets the measured period.
    /// </summary>
    public static async ValueTask<(LatencyHistogram Latency, WaitingCost Cost)> RunAsync(
        Func<long, ValueTask<long>> ping, int gapUs, WakeBenchSettings settings, WaitingCostMeter meter)
    {
        long gapTicks = Ticks(gapUs);
        long warmUntil = Stopwatch.GetTimestamp() + Ticks(settings.WarmUp);
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            await ping(gapTicks);
        }

        var histogram = new LatencyHistogram();
        meter.Start();
        long until = Stopwatch.GetTimestamp() + Ticks(settings.PointDuration);
        while (histogram.Count < settings.MaxSamples && Stopwatch.GetTimestamp() < until)
        {
            long stamp = await ping(gapTicks);
            histogram.Record(Math.Max(0, Stopwatch.GetTimestamp() - stamp));
        }

        return (histogram, meter.Stop());
    }
}
