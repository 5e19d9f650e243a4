using System.Diagnostics;
using Interlude.Diagnostics;

namespace Interlude.Benchmarks.Latency;

/// <summary>
/// The measuring coroutine of one strategy: one offload in flight at a time, each returning the device's
/// timestamp taken just before it publishes the completion; the coroutine subtracts it from its own timestamp
/// right after it resumes. CPU time, context switches, loop sleeps and allocated bytes (process-wide) are
/// read around the measured phase.
/// </summary>
internal sealed class LatencyRun
{
    private static readonly Func<long, long> s_completionStamp = static serviceTicks =>
    {
        if (serviceTicks > 0)
        {
            Ticks.Spin(serviceTicks);
        }

        return Stopwatch.GetTimestamp();
    };

    private readonly CpuAccelerator _device;
    private readonly LatencyOptions _options;
    private readonly TimeSpan _gap;
    private readonly long _gapTicks;
    private readonly long _serviceTicks;
    private readonly long[] _samples;

    private int _warmupSamples;
    private long _wallStart;
    private long _wallEnd;
    private ResourceUsage _processStart;
    private ResourceUsage _processEnd;
    private ResourceUsage _loopStart;
    private ResourceUsage _loopEnd;
    private long _sleepsStart;
    private long _sleepsEnd;
    private long _allocatedStart;
    private long _allocatedEnd;

    internal LatencyRun(CpuAccelerator device, LatencyOptions options, int gapUs)
    {
        _device = device;
        _options = options;
        _gap = TimeSpan.FromMicroseconds(gapUs);
        _gapTicks = Ticks.From(_gap);
        _serviceTicks = Ticks.From(TimeSpan.FromMicroseconds(options.ServiceUs));
        _samples = new long[options.Samples];
    }

    /// <summary>Runs on the loop.</summary>
    internal async ValueTask ExecuteAsync()
    {
        Loop loop = Loop.Current ?? throw new InvalidOperationException("The latency run must execute on a loop.");
        long warmupUntil = Stopwatch.GetTimestamp() + Ticks.From(_options.WarmupTime);
        int warmed = 0;
        int measured = 0;
        bool measuring = false;
        while (measured < _samples.Length)
        {
            if (_gapTicks > 0)
            {
                if (_options.GapMode == GapMode.Delay)
                {
                    await loop.Delay(_gap);
                }
                else
                {
                    Ticks.Spin(_gapTicks);
                }
            }

            long completedAt = await _device.SubmitAsync(s_completionStamp, _serviceTicks);
            long resumedAt = Stopwatch.GetTimestamp();
            if (measuring)
            {
                _samples[measured++] = resumedAt - completedAt;
            }
            else if (++warmed >= _options.Warmup && resumedAt >= warmupUntil)
            {
                measuring = true;
                _warmupSamples = warmed;
                _sleepsStart = loop.Counters.Sleeps;
                _loopStart = ResourceUsage.ReadCurrentThread();
                _processStart = ResourceUsage.ReadProcess();
                _allocatedStart = GC.GetTotalAllocatedBytes(precise: true);
                _wallStart = Stopwatch.GetTimestamp();
            }
        }

        _wallEnd = Stopwatch.GetTimestamp();
        _allocatedEnd = GC.GetTotalAllocatedBytes(precise: true);
        _processEnd = ResourceUsage.ReadProcess();
        _loopEnd = ResourceUsage.ReadCurrentThread();
        _sleepsEnd = loop.Counters.Sleeps;
    }

    /// <summary>After <see cref="ExecuteAsync"/> has finished.</summary>
    internal LatencyResult ToResult(WaitStrategy strategy, int gapUs)
    {
        long[] sorted = (long[])_samples.Clone();
        Array.Sort(sorted);
        return new LatencyResult(
            strategy.ToString(),
            gapUs,
            _warmupSamples,
            sorted,
            _wallEnd - _wallStart,
            _processEnd - _processStart,
            _loopEnd - _loopStart,
            _sleepsEnd - _sleepsStart,
            _allocatedEnd - _allocatedStart);
    }
}
