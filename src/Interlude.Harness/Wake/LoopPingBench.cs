using System.Diagnostics;
using Interlude.Harness.Measurement;
using Interlude.Harness.Modes;

namespace Interlude.Harness.Wake;

/// <summary>
/// The ping rows of the loop-side delivery modes: one offload in flight, the device completing it after the
/// gap, and the time from the device's completion to the awaiting code running again.
/// </summary>
/// <remarks>
/// Modes: <c>poll</c> (the loop spins on its rings), <c>interlude-interrupt</c> (the loop arms and sleeps; the
/// device wakes it only when armed; the continuation runs on the loop), <c>adaptive</c>, each with the device on
/// another core; <c>interlude-interrupt</c> again with the device thread on the loop's own core (it sleeps
/// while idle), so the wake lands on the sleeper's core; and <c>naive-interrupt</c>: the same await from a
/// ThreadPool thread confined to the waiter's core, completed off any loop, so the device's completion wakes a
/// pool thread and the continuation goes through the ThreadPool (what .NET does today). With two cores, each gap
/// starts with the floor: <see cref="HandoffPingBench"/>.
/// Busy fraction: the loop thread's CPU time over the row's wall time; for naive-interrupt, the whole process's
/// minus the device thread's.
/// </remarks>
public static class LoopPingBench
{
    public const string CrossCore = "cross-core";
    public const string SameCore = "same-core";

    public static async Task<IReadOnlyList<WakeMeasurement>> RunAsync(WakeBenchSettings settings, Action<string>? progress, CancellationToken cancellationToken)
    {
        var rows = new List<WakeMeasurement>();
        foreach (int gapUs in settings.GapsUs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (settings.HasTwoCores)
            {
                progress?.Invoke($"ping: gap {gapUs} us, raw handoff");
                rows.Add(HandoffPingBench.Measure(settings, gapUs));
                progress?.Invoke($"ping: gap {gapUs} us, poll");
                rows.Add(MeasureLoop("poll", WaitStrategy.Poll, sameCore: false, gapUs, settings));
                progress?.Invoke($"ping: gap {gapUs} us, naive interrupt");
                rows.Add(await MeasureNaiveAsync(gapUs, settings, cancellationToken).ConfigureAwait(false));
                progress?.Invoke($"ping: gap {gapUs} us, interlude interrupt");
                rows.Add(MeasureLoop("interlude-interrupt", WaitStrategy.Block, sameCore: false, gapUs, settings));
            }

            progress?.Invoke($"ping: gap {gapUs} us, interlude interrupt, same core");
            rows.Add(MeasureLoop("interlude-interrupt", WaitStrategy.Block, sameCore: true, gapUs, settings));
            if (settings.HasTwoCores)
            {
                progress?.Invoke($"ping: gap {gapUs} us, adaptive");
                rows.Add(MeasureLoop("adaptive", WaitStrategy.Adaptive, sameCore: false, gapUs, settings));
            }
        }

        return rows;
    }

    private static WakeMeasurement MeasureLoop(string mode, WaitStrategy strategy, bool sameCore, int gapUs, WakeBenchSettings settings)
    {
        using var device = new CpuAccelerator(new CpuAcceleratorOptions
        {
            Threads = 1,
            Cores = [sameCore ? settings.WaiterCore : settings.DeviceCore],

            // Across cores the device spins when idle, like hardware that is always listening; on the loop's own
            // core it must sleep, or it would take the core from the loop it serves.
            IdleSpin = sameCore ? TimeSpan.Zero : Timeout.InfiniteTimeSpan,
        });
        using var group = new LoopGroup(new LoopGroupOptions
        {
            LoopCount = 1,
            Cores = [settings.WaiterCore],
            WaitStrategy = strategy,
            StallThreshold = TimeSpan.Zero,
        });

        var meter = new WaitingCostMeter(ResourceUsage.ReadCurrentThread, () => WaitingCostMeter.LoopSleeps(group));
        (LatencyHistogram latency, WaitingCost cost) = group[0].RunAsync(() => PingSampler.RunAsync(
            gap => device.SubmitAsync(PingSampler.CompleteAfter, gap),
            gapUs,
            settings,
            meter)).GetAwaiter().GetResult();
        return new WakeMeasurement("ping", mode, sameCore ? SameCore : CrossCore, gapUs, 1, 0, latency, cost);
    }

    private static async Task<WakeMeasurement> MeasureNaiveAsync(int gapUs, WakeBenchSettings settings, CancellationToken cancellationToken)
    {
        using var device = new CpuAccelerator(new CpuAcceleratorOptions
        {
            Threads = 1,
            Cores = [settings.DeviceCore],
            IdleSpin = Timeout.InfiniteTimeSpan,
        });
        DeviceThreadUsage deviceThread = await DeviceThreadUsage.LocateAsync(device, cancellationToken).ConfigureAwait(false);
        ThreadPoolConfinement confinement = ThreadPoolConfinement.Apply([settings.WaiterCore]);
        try
        {
            var meter = new WaitingCostMeter(() => ResourceUsage.ReadProcess() - deviceThread.Read());
            (LatencyHistogram latency, WaitingCost cost) = await Task.Run(
                async () => await PingSampler.RunAsync(
                    gap => device.SubmitAsync(PingSampler.CompleteAfter, gap, cancellationToken),
                    gapUs,
                    settings,
                    meter).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return new WakeMeasurement("ping", "naive-interrupt", CrossCore, gapUs, 1, 0, latency, cost);
        }
        finally
        {
            confinement.Restore();
        }
    }
}
