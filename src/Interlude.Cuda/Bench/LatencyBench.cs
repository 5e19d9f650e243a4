using System.Diagnostics;
using Interlude.Cuda.Interop;

namespace Interlude.Cuda.Bench;

/// <summary>
/// One null kernel at a time, submission to continuation, for each completion detection mode on a loop, for
/// CUDA's own scheduling flags with the waiting thread blocked in the driver, and for the .NET default (an async
/// wrapper completing through the ThreadPool). Each row also measures the process's CPU while the mode sits idle.
/// </summary>
internal sealed class LatencyBench(GpuBenchSettings settings)
{
    internal static readonly (string Name, CudaCompletionMode Mode, WaitStrategy Wait)[] LoopModes =
    [
        ("interlude-mapped-flag", CudaCompletionMode.MappedFlag, WaitStrategy.Adaptive),
        ("interlude-mapped-flag-poll", CudaCompletionMode.MappedFlag, WaitStrategy.Poll),
        ("interlude-mapped-flag-block", CudaCompletionMode.MappedFlag, WaitStrategy.Block),
        ("interlude-event-query", CudaCompletionMode.EventQuery, WaitStrategy.Adaptive),
        ("interlude-blocking-event", CudaCompletionMode.BlockingEvent, WaitStrategy.Adaptive),
        ("interlude-host-callback", CudaCompletionMode.HostCallback, WaitStrategy.Adaptive),
    ];

    internal static readonly (string Name, CudaScheduling Flag)[] DriverModes =
    [
        ("cuda-spin", CudaScheduling.Spin),
        ("cuda-yield", CudaScheduling.Yield),
        ("cuda-blocking-sync", CudaScheduling.BlockingSync),
    ];

    internal const string ThreadPoolMode = "threadpool-async";

    internal async Task<List<GpuBenchRow>> RunAsync(Action<string> log, CancellationToken cancellationToken)
    {
        var rows = new List<GpuBenchRow>();
        foreach ((string name, CudaCompletionMode mode, WaitStrategy wait) in LoopModes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log(name);
            rows.Add(await LoopModeAsync(name, mode, wait).ConfigureAwait(false));
        }

        using var device = new CudaDevice();
        foreach ((string name, CudaScheduling flag) in DriverModes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log(name);
            rows.Add(await DriverModeAsync(device, name, flag).ConfigureAwait(false));
        }

        cancellationToken.ThrowIfCancellationRequested();
        log(ThreadPoolMode);
        rows.Add(await ThreadPoolAsync(device).ConfigureAwait(false));
        return rows;
    }

    private async Task<GpuBenchRow> LoopModeAsync(string name, CudaCompletionMode mode, WaitStrategy wait)
    {
        using var device = new CudaDevice(new CudaDeviceOptions { Completion = mode });
        await using var loops = new LoopGroup(new LoopGroupOptions { LoopCount = 1, WaitStrategy = wait });
        int samples = settings.LatencySamples;
        long[] ticks = new long[samples];
        (TimeSpan cpu, double wall) = await loops.RunAsync(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                await device.NullKernelAsync();
            }

            TimeSpan before = Measure.ProcessCpu();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < samples; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                await device.NullKernelAsync();
                ticks[i] = Stopwatch.GetTimestamp() - t0;
            }

            return (Measure.ProcessCpu() - before, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }).ConfigureAwait(false);
        double idle = await Measure.IdleCpuAsync(settings.IdleWindow).ConfigureAwait(false);
        return Row(name, ticks, samples, cpu, wall, idle);
    }

    private async Task<GpuBenchRow> DriverModeAsync(CudaDevice device, string name, CudaScheduling flag)
    {
        int samples = settings.LatencySamples;
        long[] ticks = new long[samples];
        TimeSpan cpu = default;
        double wall = 0;
        var thread = new Thread(() =>
        {
            device.MakeCurrent();
            Driver.SetSchedulingFlags(device.Ordinal, (uint)flag);
            using var stream = new RawStream(device);
            for (int i = 0; i < 200; i++)
            {
                stream.RunAndWait(0);
            }

            TimeSpan before = Measure.ProcessCpu();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < samples; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                stream.RunAndWait(0);
                ticks[i] = Stopwatch.GetTimestamp() - t0;
            }

            cpu = Measure.ProcessCpu() - before;
            wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        })
        { IsBackground = true, Name = name };
        thread.Start();
        thread.Join();

        // A thread per request costs nothing idle: there is no thread until a request comes.
        double idle = await Measure.IdleCpuAsync(settings.IdleWindow).ConfigureAwait(false);
        return Row(name, ticks, samples, cpu, wall, idle);
    }

    private async Task<GpuBenchRow> ThreadPoolAsync(CudaDevice device)
    {
        int samples = settings.LatencySamples;
        long[] ticks = new long[samples];
        using var stream = new RawStream(device);
        (TimeSpan cpu, double wall) = await Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                await stream.RunAsync(0).ConfigureAwait(false);
            }

            TimeSpan before = Measure.ProcessCpu();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < samples; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                await stream.RunAsync(0).ConfigureAwait(false);
                ticks[i] = Stopwatch.GetTimestamp() - t0;
            }

            return (Measure.ProcessCpu() - before, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }).ConfigureAwait(false);
        double idle = await Measure.IdleCpuAsync(settings.IdleWindow).ConfigureAwait(false);
        return Row(ThreadPoolMode, ticks, samples, cpu, wall, idle);
    }

    private static GpuBenchRow Row(string name, long[] ticks, int count, TimeSpan cpu, double wall, double idle)
    {
        Array.Sort(ticks, 0, count);
        return new GpuBenchRow(
            "latency",
            name,
            0,
            1,
            count,
            Measure.Percentile(ticks, count, 0.50),
            Measure.Percentile(ticks, count, 0.99),
            count / wall,
            cpu.TotalMicroseconds / count,
            idle);
    }
}
