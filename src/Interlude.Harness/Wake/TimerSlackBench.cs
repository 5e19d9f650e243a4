using System.Diagnostics;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Wake;

/// <summary>
/// The timers section: how late a sleeping loop's timer ends, with the kernel's default timer slack against the
/// loops' own (<see cref="LoopGroupOptions.TimerSlack"/>). A loop that sleeps (<see cref="WaitStrategy.Block"/>)
/// awaits <see cref="Loop.Delay"/> again and again; each sample is the time from the timer's due time to the
/// code after the await running. This is the wake the adaptive policy's timed sleep pays, and the reason it ends
/// its sleep a margin before an expected completion.
/// </summary>
/// <remarks>
/// Modes: <c>kernel-slack</c> (TimerSlack null: the thread keeps the slack a new thread gets, 50 us on Linux) and
/// <c>loop-slack</c> (the default, 1 us). The two alternate for each delay, so drift of the machine falls on both.
/// The row's gap column is the delay asked for; its busy fraction the loop thread's CPU over the row's wall time.
/// </remarks>
public static class TimerSlackBench
{
    public const string Section = "timers";
    public const string KernelSlack = "kernel-slack";
    public const string LoopSlack = "loop-slack";

    /// <summary>The delays asked for, in microseconds.</summary>
    public static readonly int[] DelaysUs = [10, 30, 100, 300];

    public static IReadOnlyList<WakeMeasurement> Run(WakeBenchSettings settings, Action<string>? progress, CancellationToken cancellationToken)
    {
        var rows = new List<WakeMeasurement>();
        foreach (int delayUs in DelaysUs)
        {
            foreach (bool loopSlack in new[] { false, true })
            {
                cancellationToken.ThrowIfCancellationRequested();
                string mode = loopSlack ? LoopSlack : KernelSlack;
                progress?.Invoke($"timers: {delayUs} us, {mode}");
                rows.Add(Measure(mode, loopSlack ? new LoopGroupOptions().TimerSlack : null, delayUs, settings));
            }
        }

        return rows;
    }

    private static WakeMeasurement Measure(string mode, TimeSpan? slack, int delayUs, WakeBenchSettings settings)
    {
        using var group = new LoopGroup(new LoopGroupOptions
        {
            LoopCount = 1,
            Cores = [settings.WaiterCore],
            WaitStrategy = WaitStrategy.Block,
            StallThreshold = TimeSpan.Zero,
            TimerSlack = slack,
        });
        var meter = new WaitingCostMeter(ResourceUsage.ReadCurrentThread, () => WaitingCostMeter.LoopSleeps(group));
        (LatencyHistogram latency, WaitingCost cost) = group[0].RunAsync(() => SampleAsync(group[0], delayUs, settings, meter)).GetAwaiter().GetResult();
        return new WakeMeasurement(Section, mode, LoopPingBench.SameCore, delayUs, 1, 0, latency, cost);
    }

    // PingSampler's loop, written out: handing it the timer as its ping needs an async method per sample, which
    // allocated 64 bytes a sample here even with the pooling builder; this loop allocates nothing.
    private static async ValueTask<(LatencyHistogram, WaitingCost)> SampleAsync(Loop loop, int delayUs, WakeBenchSettings settings, WaitingCostMeter meter)
    {
        TimeSpan delay = TimeSpan.FromMicroseconds(delayUs);
        long delayTicks = PingSampler.Ticks(delayUs);
        long warmUntil = Stopwatch.GetTimestamp() + PingSampler.Ticks(settings.WarmUp);
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            await loop.Delay(delay);
        }

        var histogram = new LatencyHistogram();
        meter.Start();
        long until = Stopwatch.GetTimestamp() + PingSampler.Ticks(settings.PointDuration);
        while (histogram.Count < settings.MaxSamples && Stopwatch.GetTimestamp() < until)
        {
            long due = Stopwatch.GetTimestamp() + delayTicks;
            await loop.Delay(delay);
            histogram.Record(Math.Max(0, Stopwatch.GetTimestamp() - due));
        }

        return (histogram, meter.Stop());
    }
}
