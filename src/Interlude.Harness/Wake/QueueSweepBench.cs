using Interlude.Harness.Measurement;

namespace Interlude.Harness.Wake;

/// <summary>
/// One polling loop serving 1 to 1,024 completion queues (device channels), of which one is active: the ping
/// latency with the loop visiting only rung queues (the readiness summary) against it scanning every queue.
/// </summary>
/// <remarks>
/// The active device is a one-thread CPU engine spinning on another core; the idle queues belong to engines
/// whose threads sleep on that core. Each idle engine takes one operation first, so its channel exists on the
/// loop; after that only the active one completes anything.
/// </remarks>
public static class QueueSweepBench
{
    public static IReadOnlyList<WakeMeasurement> Run(WakeBenchSettings settings, Action<string>? progress, CancellationToken cancellationToken)
    {
        var rows = new List<WakeMeasurement>();
        foreach (int queues in settings.QueueCounts)
        {
            foreach ((string mode, CompletionScan scan) in new[] { ("summary", CompletionScan.Summary), ("linear-scan", CompletionScan.Linear) })
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke($"queues: {queues}, {mode}");
                rows.Add(Measure(mode, scan, queues, settings));
            }
        }

        return rows;
    }

    private static WakeMeasurement Measure(string mode, CompletionScan scan, int queues, WakeBenchSettings settings)
    {
        var idle = new CpuAccelerator[queues - 1];
        try
        {
            for (int i = 0; i < idle.Length; i++)
            {
                idle[i] = new CpuAccelerator(new CpuAcceleratorOptions
                {
                    Threads = 1,
                    Cores = [settings.DeviceCore],
                    IdleSpin = TimeSpan.Zero,
                    RingCapacity = 2,
                });
            }

            using var active = new CpuAccelerator(new CpuAcceleratorOptions
            {
                Threads = 1,
                Cores = [settings.DeviceCore],
                IdleSpin = Timeout.InfiniteTimeSpan,
            });
            var options = new LoopGroupOptions
            {
                LoopCount = 1,
                Cores = [settings.WaiterCore],
                WaitStrategy = WaitStrategy.Poll,
                StallThreshold = TimeSpan.Zero,
                CompletionScan = scan,
            };
            using var group = new LoopGroup(options);

            var meter = new WaitingCostMeter(ResourceUsage.ReadCurrentThread, () => WaitingCostMeter.LoopSleeps(group));
            (LatencyHistogram latency, WaitingCost cost) = group[0].RunAsync(async () =>
            {
                foreach (CpuAccelerator device in idle)
                {
                    await device.SubmitAsync(static (byte b) => b, (byte)0);
                }

                return await PingSampler.RunAsync(gap => active.SubmitAsync(PingSampler.CompleteAfter, gap), 0, settings, meter);
            }).GetAwaiter().GetResult();
            return new WakeMeasurement("queues", mode, LoopPingBench.CrossCore, 0, queues, 0, latency, cost);
        }
        finally
        {
            foreach (CpuAccelerator? device in idle)
            {
                device?.Dispose();
            }
        }
    }
}
