using System.Diagnostics;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Wake;

/// <summary>
/// Poll, interrupt and adaptive waiting over offered load: requests arrive at Poisson times (delivered by the
/// device, as network events would be), each does <see cref="CpuUs"/> of work on the loop and then one offload
/// of <see cref="OffloadUs"/>. Latency is each offload's round trip (submission to continuation), so the
/// difference between modes is what waiting and waking cost; busy fraction is the loop thread's CPU time over
/// the wall time.
/// </summary>
public static class AdaptiveLoadSweep
{
    public const double CpuUs = 10;
    public const double OffloadUs = 20;

    public static IReadOnlyList<WakeMeasurement> Run(WakeBenchSettings settings, Action<string>? progress, CancellationToken cancellationToken)
    {
        var rows = new List<WakeMeasurement>();
        foreach (double load in settings.Loads)
        {
            foreach ((string mode, WaitStrategy strategy) in new[]
            {
                ("poll", WaitStrategy.Poll),
                ("interlude-interrupt", WaitStrategy.Block),
                ("adaptive", WaitStrategy.Adaptive),
            })
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke($"adaptive sweep: load {load:0.##}, {mode}");
                rows.Add(Measure(mode, strategy, load, settings, progress));
            }
        }

        return rows;
    }

    private static WakeMeasurement Measure(string mode, WaitStrategy strategy, double load, WakeBenchSettings settings, Action<string>? progress)
    {
        using var device = new SimulatedAccelerator(new SimulatedAcceleratorOptions
        {
            ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(OffloadUs)),
            Lanes = 1024,
            RingCapacity = 4096,
            Cores = settings.HasTwoCores ? [settings.DeviceCore] : null,
            IdleSpin = Timeout.InfiniteTimeSpan,
        });
        var options = new LoopGroupOptions
        {
            LoopCount = 1,
            Cores = [settings.WaiterCore],
            WaitStrategy = strategy,
            StallThreshold = TimeSpan.Zero,
        };
        if (settings.SpinBudget is double budget)
        {
            options.Adaptive.SpinBudget = budget;
        }

        if (settings.EnterPollingLoad is double enter)
        {
            options.Adaptive.EnterPollingLoad = enter;
            options.Adaptive.ExitPollingLoad = Math.Min(options.Adaptive.ExitPollingLoad, enter);
        }

        using var group = new LoopGroup(options);

        var run = new LoadRun(device, load, settings, new WaitingCostMeter(ResourceUsage.ReadCurrentThread, () => WaitingCostMeter.LoopSleeps(group)));
        group[0].RunAsync(run.GenerateAsync).GetAwaiter().GetResult();
        if (run.Refused > 0)
        {
            progress?.Invoke($"adaptive sweep: load {load:0.##}, {mode}: the device refused {run.Refused} submissions (the loop fell behind its offered load; the row is not comparable)");
        }

        return new WakeMeasurement("adaptive", mode, LoopPingBench.CrossCore, 0, 1, load, run.Latency, run.Cost);
    }

    /// <summary>One row's arrivals and requests; everything runs on the one loop.</summary>
    private sealed class LoadRun(SimulatedAccelerator device, double load, WakeBenchSettings settings, WaitingCostMeter meter)
    {
        private static readonly long s_cpuTicks = PingSampler.Ticks(TimeSpan.FromMicroseconds(CpuUs));

        private readonly Random _random = new(12345);
        private readonly double _meanGapTicks = s_cpuTicks / load;
        private bool _measuring;

        public LatencyHistogram Latency { get; } = new();

        public WaitingCost Cost { get; private set; }

        /// <summary>Submissions the device refused because the loop fell behind (a machine too busy to keep up).</summary>
        public int Refused { get; private set; }

        public async ValueTask GenerateAsync()
        {
            Loop loop = Loop.Current!;
            long now = Stopwatch.GetTimestamp();
            long measureFrom = now + PingSampler.Ticks(settings.WarmUp);
            long end = measureFrom + PingSampler.Ticks(settings.PointDuration);
            long next = now;
            while (next < end)
            {
                next += (long)(-Math.Log(1 - _random.NextDouble()) * _meanGapTicks);
                long wait = next - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    try
                    {
                        await device.SubmitAsync(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                    }
                    catch (AcceleratorOverloadedException)
                    {
                        Refused++; // the arrival comes now instead
                    }
                }

                if (!_measuring && Stopwatch.GetTimestamp() >= measureFrom)
                {
                    _measuring = true;
                    meter.Start();
                }

                loop.Spawn(static run => run.RequestAsync(), this);
            }

            Cost = meter.Stop();
        }

        private async ValueTask RequestAsync()
        {
            long spinUntil = Stopwatch.GetTimestamp() + s_cpuTicks;
            while (Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(4);
            }

            bool counted = _measuring;
            long submitted = Stopwatch.GetTimestamp();
            try
            {
                await device.SubmitAsync();
            }
            catch (AcceleratorOverloadedException)
            {
                Refused++;
                return;
            }

            if (counted)
            {
                Latency.Record(Stopwatch.GetTimestamp() - submitted);
            }
        }
    }
}
