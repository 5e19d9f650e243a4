using System.Diagnostics;
using Interlude.Cuda.Interop;

namespace Interlude.Cuda.Bench;

/// <summary>
/// Many requests sharing the GPU, each a spin kernel of a fixed length then its continuation, under the four
/// execution modes <c>bench offload</c> compares: blocking (a thread per request, asleep in the driver:
/// CU_CTX_SCHED_BLOCKING_SYNC), busywait (a thread per request spinning in the driver: CU_CTX_SCHED_SPIN),
/// threadpool-async (async requests completed by a host function, continued on the ThreadPool), and interlude
/// (coroutines on the loops, the mapped flag, adaptive waiting).
/// </summary>
internal sealed class ThroughputBench(GpuBenchSettings settings)
{
    internal static readonly string[] Modes = ["blocking", "busywait", "threadpool-async", "interlude"];

    internal async Task<List<GpuBenchRow>> RunAsync(Action<string> log, CancellationToken cancellationToken)
    {
        var rows = new List<GpuBenchRow>();
        foreach (int kernelUs in settings.KernelUs)
        {
            foreach (string mode in Modes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                log($"{mode}, {kernelUs} us kernels");
                rows.Add(await RunModeAsync(mode, kernelUs).ConfigureAwait(false));
            }
        }

        return rows;
    }

    private async Task<GpuBenchRow> RunModeAsync(string mode, int kernelUs)
    {
        ulong nanoseconds = (ulong)kernelUs * 1000;
        int inFlight = settings.InFlight;
        var latencies = new long[inFlight][];
        var counts = new int[inFlight];
        int capacity = (int)(settings.ThroughputDuration.TotalSeconds * 1e6 / kernelUs) + 1024;
        for (int i = 0; i < inFlight; i++)
        {
            latencies[i] = new long[capacity];
        }

        long stopAt = 0;
        TimeSpan cpuBefore;
        long start;
        double wall;
        TimeSpan cpu;
        if (mode == "interlude")
        {
            using var device = new CudaDevice(new CudaDeviceOptions { Completion = CudaCompletionMode.MappedFlag });
            await using var loops = new LoopGroup(new LoopGroupOptions { WaitStrategy = WaitStrategy.Adaptive });
            var duration = TimeSpan.FromTicks((long)nanoseconds / 100);
            await Task.WhenAll(Enumerable.Range(0, loops.Count).Select(_ => loops.RunAsync(async () => await device.NullKernelAsync()))).ConfigureAwait(false);
            cpuBefore = Measure.ProcessCpu();
            start = Stopwatch.GetTimestamp();
            stopAt = start + (long)(settings.ThroughputDuration.TotalSeconds * Stopwatch.Frequency);
            var tasks = Enumerable.Range(0, inFlight).Select(r => loops.RunAsync(async () =>
            {
                long[] mine = latencies[r];
                int n = 0;
                while (Stopwatch.GetTimestamp() < stopAt && n < mine.Length)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    await device.SpinKernelAsync(duration);
                    mine[n++] = Stopwatch.GetTimestamp() - t0;
                }

                counts[r] = n;
            })).ToList();
            await Task.WhenAll(tasks).ConfigureAwait(false);
            (wall, cpu) = Elapsed(start, cpuBefore);
        }
        else
        {
            using var device = new CudaDevice();
            device.MakeCurrent();
            Driver.SetSchedulingFlags(device.Ordinal, (uint)(mode == "busywait" ? CudaScheduling.Spin : CudaScheduling.BlockingSync));
            var streams = Enumerable.Range(0, inFlight).Select(_ => new RawStream(device)).ToList();
            try
            {
                streams[0].RunAndWait(0);
                cpuBefore = Measure.ProcessCpu();
                start = Stopwatch.GetTimestamp();
                stopAt = start + (long)(settings.ThroughputDuration.TotalSeconds * Stopwatch.Frequency);
                if (mode == "threadpool-async")
                {
                    await Task.WhenAll(Enumerable.Range(0, inFlight).Select(r => Task.Run(async () =>
                    {
                        long[] mine = latencies[r];
                        int n = 0;
                        while (Stopwatch.GetTimestamp() < stopAt && n < mine.Length)
                        {
                            long t0 = Stopwatch.GetTimestamp();
                            await streams[r].RunAsync(nanoseconds).ConfigureAwait(false);
                            mine[n++] = Stopwatch.GetTimestamp() - t0;
                        }

                        counts[r] = n;
                    }))).ConfigureAwait(false);
                }
                else
                {
                    var threads = Enumerable.Range(0, inFlight).Select(r => new Thread(() =>
                    {
                        long[] mine = latencies[r];
                        int n = 0;
                        while (Stopwatch.GetTimestamp() < stopAt && n < mine.Length)
                        {
                            long t0 = Stopwatch.GetTimestamp();
                            streams[r].RunAndWait(nanoseconds);
                            mine[n++] = Stopwatch.GetTimestamp() - t0;
                        }

                        counts[r] = n;
                    })
                    { IsBackground = true }).ToList();
                    threads.ForEach(t => t.Start());
                    threads.ForEach(t => t.Join());
                }

                (wall, cpu) = Elapsed(start, cpuBefore);
            }
            finally
            {
                streams.ForEach(s => s.Dispose());
            }
        }

        long total = counts.Sum(c => (long)c);
        long[] all = latencies.SelectMany((l, i) => l.Take(counts[i])).ToArray();
        Array.Sort(all);
        return new GpuBenchRow(
            "throughput",
            mode,
            kernelUs,
            inFlight,
            total,
            Measure.Percentile(all, all.Length, 0.50),
            Measure.Percentile(all, all.Length, 0.99),
            total / wall,
            total == 0 ? double.NaN : cpu.TotalMicroseconds / total,
            double.NaN);
    }

    // Taken right after the requests finish, before the mode's threads, loops and streams are torn down.
    private static (double Wall, TimeSpan Cpu) Elapsed(long start, TimeSpan cpuBefore) =>
        (Stopwatch.GetElapsedTime(start).TotalSeconds, Measure.ProcessCpu() - cpuBefore);
}
