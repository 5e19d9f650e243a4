using System.Diagnostics;
using Interlude.Diagnostics;
using Interlude.Native;
using Interlude.Primitives;

namespace Interlude.Benchmarks.Latency;

/// <summary>
/// The floor the strategies are compared with: two threads pinned to the loop's and the device's cores,
/// nothing between them but one request word and one response word, each on its own cache line, both sides
/// spinning without pause. The responder writes its timestamp as the response; the requester subtracts it from
/// its own timestamp as soon as it sees it. Gaps are always spun.
/// </summary>
internal sealed class HandoffBaseline
{
    internal const string Name = "raw";

    private const long Stop = -1;

    private readonly LatencyOptions _options;
    private readonly int _gapUs;
    private readonly long _gapTicks;
    private readonly long _serviceTicks;
    private PaddedInt64 _request;
    private PaddedInt64 _response;

    private HandoffBaseline(LatencyOptions options, int gapUs)
    {
        _options = options;
        _gapUs = gapUs;
        _gapTicks = Ticks.From(TimeSpan.FromMicroseconds(gapUs));
        _serviceTicks = Ticks.From(TimeSpan.FromMicroseconds(options.ServiceUs));
    }

    internal static LatencyResult Measure(LatencyOptions options, int gapUs)
    {
        var baseline = new HandoffBaseline(options, gapUs);
        LatencyResult? result = null;
        var responder = new Thread(baseline.Respond) { IsBackground = true, Name = "handoff-responder" };
        var requester = new Thread(() => result = baseline.Request()) { IsBackground = true, Name = "handoff-requester" };
        responder.Start();
        requester.Start();
        requester.Join();
        responder.Join();
        return result!;
    }

    private LatencyResult Request()
    {
        CpuAffinity.TryPinCurrentThread(_options.LoopCore);
        var samples = new long[_options.Samples];
        long warmupUntil = Stopwatch.GetTimestamp() + Ticks.From(_options.WarmupTime);
        int warmed = 0;
        int measured = 0;
        bool measuring = false;
        long last = 0;
        long wallStart = 0;
        long allocatedStart = 0;
        ResourceUsage threadStart = default;
        ResourceUsage processStart = default;
        for (long sequence = 1; measured < samples.Length; sequence++)
        {
            if (_gapTicks > 0)
            {
                Ticks.Spin(_gapTicks);
            }

            Volatile.Write(ref _request.Value, sequence);
            long stamp;
            while ((stamp = Volatile.Read(ref _response.Value)) == last)
            {
            }

            long seenAt = Stopwatch.GetTimestamp();
            last = stamp;
            if (measuring)
            {
                samples[measured++] = seenAt - stamp;
            }
            else if (++warmed >= _options.Warmup && seenAt >= warmupUntil)
            {
                measuring = true;
                threadStart = ResourceUsage.ReadCurrentThread();
                processStart = ResourceUsage.ReadProcess();
                allocatedStart = GC.GetTotalAllocatedBytes(precise: true);
                wallStart = Stopwatch.GetTimestamp();
            }
        }

        long wallEnd = Stopwatch.GetTimestamp();
        long allocatedEnd = GC.GetTotalAllocatedBytes(precise: true);
        ResourceUsage processEnd = ResourceUsage.ReadProcess();
        ResourceUsage threadEnd = ResourceUsage.ReadCurrentThread();
        Volatile.Write(ref _request.Value, Stop);

        Array.Sort(samples);
        return new LatencyResult(
            Name,
            _gapUs,
            warmed,
            samples,
            wallEnd - wallStart,
            processEnd - processStart,
            threadEnd - threadStart,
            0,
            allocatedEnd - allocatedStart);
    }

    private void Respond()
    {
        CpuAffinity.TryPinCurrentThread(_options.DeviceCore);
        long seen = 0;
        while (true)
        {
            long request;
            while ((request = Volatile.Read(ref _request.Value)) == seen)
            {
            }

            if (request == Stop)
            {
                return;
            }

            seen = request;
            if (_serviceTicks > 0)
            {
                Ticks.Spin(_serviceTicks);
            }

            Volatile.Write(ref _response.Value, Stopwatch.GetTimestamp());
        }
    }
}
