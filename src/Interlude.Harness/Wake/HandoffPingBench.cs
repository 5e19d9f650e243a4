using System.Diagnostics;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Wake;

/// <summary>
/// The floor the ping rows are compared with (mode <c>raw-handoff</c>): two threads pinned to the waiting and the
/// device core, nothing between them but one request word and one response word, each on its own cache line,
/// both spinning without pause. The responder holds each request for the gap, then writes its timestamp as the
/// response; the requester subtracts it from its own timestamp as soon as it sees it. Budgeted like the other
/// ping rows (warm-up time, then a time or sample limit); busy is the requester's CPU over wall time.
/// </summary>
/// <remarks>
/// <see cref="_request"/> is written by the requester and read by the responder; <see cref="_response"/> the other
/// way round. Nothing else is shared while the row runs.
/// </remarks>
public sealed class HandoffPingBench
{
    public const string Mode = "raw-handoff";

    private const long Stop = -1;

    private readonly WakeBenchSettings _settings;
    private readonly long _gapTicks;
    private PaddedLong _request;
    private PaddedLong _response;

    private HandoffPingBench(WakeBenchSettings settings, int gapUs)
    {
        _settings = settings;
        _gapTicks = PingSampler.Ticks(gapUs);
    }

    /// <summary>Measures one row; needs two cores (both threads spin).</summary>
    public static WakeMeasurement Measure(WakeBenchSettings settings, int gapUs)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var bench = new HandoffPingBench(settings, gapUs);
        (LatencyHistogram, WaitingCost)? result = null;
        Exception? failure = null;
        var responder = new Thread(bench.Respond) { IsBackground = true, Name = "interlude-handoff-responder" };
        var requester = new Thread(() =>
        {
            try
            {
                result = bench.Request();
            }
            catch (Exception ex)
            {
                failure = ex;
                Volatile.Write(ref bench._request.Value, Stop);
            }
        })
        {
            IsBackground = true,
            Name = "interlude-handoff-requester",
        };
        responder.Start();
        requester.Start();
        requester.Join();
        responder.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("The handoff requester failed.", failure);
        }

        (LatencyHistogram latency, WaitingCost cost) = result!.Value;
        return new WakeMeasurement("ping", Mode, LoopPingBench.CrossCore, gapUs, 1, 0, latency, cost);
    }

    private (LatencyHistogram, WaitingCost) Request()
    {
        CpuAffinity.TryPinCurrentThread(_settings.WaiterCore);
        var latency = new LatencyHistogram();
        var meter = new WaitingCostMeter(ResourceUsage.ReadCurrentThread);
        long warmUntil = Stopwatch.GetTimestamp() + PingSampler.Ticks(_settings.WarmUp);
        long until = long.MaxValue;
        bool measuring = false;
        long last = 0;
        for (long sequence = 1; latency.Count < _settings.MaxSamples; sequence++)
        {
            Volatile.Write(ref _request.Value, sequence);
            long stamp;
            while ((stamp = Volatile.Read(ref _response.Value)) == last)
            {
            }

            long seenAt = Stopwatch.GetTimestamp();
            last = stamp;
            if (measuring)
            {
                latency.Record(Math.Max(0, seenAt - stamp));
                if (seenAt >= until)
                {
                    break;
                }
            }
            else if (seenAt >= warmUntil)
            {
                measuring = true;
                meter.Start();
                until = Stopwatch.GetTimestamp() + PingSampler.Ticks(_settings.PointDuration);
            }
        }

        WaitingCost cost = meter.Stop();
        Volatile.Write(ref _request.Value, Stop);
        return (latency, cost);
    }

    private void Respond()
    {
        CpuAffinity.TryPinCurrentThread(_settings.DeviceCore);
        long seen = 0;
        long written = 0;
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
            if (_gapTicks > 0)
            {
                long holdUntil = Stopwatch.GetTimestamp() + _gapTicks;
                while (Stopwatch.GetTimestamp() < holdUntil)
                {
                }
            }

            // Every response differs from the last, or the requester would not see it.
            written = Math.Max(Stopwatch.GetTimestamp(), written + 1);
            Volatile.Write(ref _response.Value, written);
        }
    }
}
