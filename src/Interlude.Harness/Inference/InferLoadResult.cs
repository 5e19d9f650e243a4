using Interlude.Harness.Measurement;
using Interlude.Harness.Tls;

namespace Interlude.Harness.Inference;

/// <summary>One load phase (closed or open loop) against one mode: what the client (h2load, or the open-loop client) saw and what the server spent.</summary>
public sealed record InferLoadResult
{
    /// <summary>Requests asked for.</summary>
    public required long Requests { get; init; }

    /// <summary>Requests answered with a 2xx status.</summary>
    public required long Succeeded { get; init; }

    /// <summary>Requests not answered, or answered otherwise.</summary>
    public required long Failed { get; init; }

    /// <summary>The rate offered (open loop); null for the closed loop.</summary>
    public double? OfferedPerSecond { get; init; }

    /// <summary>Succeeded requests over the client's run time (h2load's "finished in").</summary>
    public required double RequestsPerSecond { get; init; }

    public required double P50Us { get; init; }

    public required double P99Us { get; init; }

    public required double P999Us { get; init; }

    /// <summary>The process's CPU less the device threads', per request; NaN without /proc.</summary>
    public required double AppCpuUsPerRequest { get; init; }

    /// <summary>The device threads' CPU time over the wall time; null without a device.</summary>
    public double? DeviceCpuUtilization { get; init; }

    /// <summary>The device threads' busy time (running batches) over the wall time; null without a device.</summary>
    public double? DeviceUtilization { get; init; }

    /// <summary>Runs of the embedder by batch size during the phase (element i: runs of i requests); empty without a device.</summary>
    public IReadOnlyList<long> BatchSizeCounts { get; init; } = [];

    /// <summary>The latencies (nanoseconds) of the succeeded requests.</summary>
    public LatencyHistogram Latencies { get; init; } = new();

    /// <summary>The mean requests per run; NaN without runs.</summary>
    public double AverageBatchSize
    {
        get
        {
            long runs = 0;
            long requests = 0;
            for (int size = 0; size < BatchSizeCounts.Count; size++)
            {
                runs += BatchSizeCounts[size];
                requests += size * BatchSizeCounts[size];
            }

            return runs == 0 ? double.NaN : (double)requests / runs;
        }
    }

    /// <summary>A phase's figures from h2load's summary and log and what was read around the run.</summary>
    /// <param name="summary">h2load's summary.</param>
    /// <param name="latencies">The 2xx requests' latencies from h2load's log.</param>
    /// <param name="notOk">The log's requests without a 2xx status.</param>
    /// <param name="wallSeconds">The wall time of the run.</param>
    /// <param name="processCpu">The process's CPU time over the run.</param>
    /// <param name="deviceCpu">The device threads' CPU time over the run; null without a device.</param>
    /// <param name="deviceBusy">The device threads' busy time over the run; null without a device.</param>
    /// <param name="batchesBefore">The batch-size histogram before the run.</param>
    /// <param name="batchesAfter">The batch-size histogram after the run.</param>
    /// <param name="offeredPerSecond">The rate offered; null for a closed loop.</param>
    public static InferLoadResult From(
        H2loadResult summary,
        LatencyHistogram latencies,
        long notOk,
        double wallSeconds,
        TimeSpan processCpu,
        TimeSpan? deviceCpu,
        TimeSpan? deviceBusy,
        IReadOnlyList<long> batchesBefore,
        IReadOnlyList<long> batchesAfter,
        double? offeredPerSecond)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return From(summary.Requests, summary.FinishedSeconds, latencies, notOk, wallSeconds, processCpu, deviceCpu, deviceBusy, batchesBefore, batchesAfter, offeredPerSecond);
    }

    /// <summary>A phase's figures from a client's count of requests and run time, its log's latencies, and what was read around the run.</summary>
    /// <param name="requests">Requests asked for.</param>
    /// <param name="finishedSeconds">The client's run time: from its start to the last response.</param>
    /// <param name="latencies">The 2xx requests' latencies.</param>
    /// <param name="notOk">The requests without a 2xx status.</param>
    /// <param name="wallSeconds">The wall time of the run.</param>
    /// <param name="processCpu">The process's CPU time over the run.</param>
    /// <param name="deviceCpu">The device threads' CPU time over the run; null without a device.</param>
    /// <param name="deviceBusy">The device threads' busy time over the run; null without a device.</param>
    /// <param name="batchesBefore">The batch-size histogram before the run.</param>
    /// <param name="batchesAfter">The batch-size histogram after the run.</param>
    /// <param name="offeredPerSecond">The rate offered; null for a closed loop.</param>
    public static InferLoadResult From(
        long requests,
        double finishedSeconds,
        LatencyHistogram latencies,
        long notOk,
        double wallSeconds,
        TimeSpan processCpu,
        TimeSpan? deviceCpu,
        TimeSpan? deviceBusy,
        IReadOnlyList<long> batchesBefore,
        IReadOnlyList<long> batchesAfter,
        double? offeredPerSecond)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        long ok = latencies.Count;
        long answered = ok + notOk;
        return new InferLoadResult
        {
            Requests = requests,
            Succeeded = ok,
            Failed = requests - ok,
            OfferedPerSecond = offeredPerSecond,
            RequestsPerSecond = finishedSeconds > 0 ? ok / finishedSeconds : double.NaN,
            P50Us = ok == 0 ? double.NaN : latencies.ValueAtQuantile(0.50) / 1000.0,
            P99Us = ok == 0 ? double.NaN : latencies.ValueAtQuantile(0.99) / 1000.0,
            P999Us = ok == 0 ? double.NaN : latencies.ValueAtQuantile(0.999) / 1000.0,
            AppCpuUsPerRequest = ResourceUsage.IsAvailable && answered > 0 ? (processCpu - (deviceCpu ?? TimeSpan.Zero)).TotalMicroseconds / answered : double.NaN,
            DeviceCpuUtilization = deviceCpu is { } cpu && wallSeconds > 0 ? cpu.TotalSeconds / wallSeconds : null,
            DeviceUtilization = deviceBusy is { } busy && wallSeconds > 0 ? busy.TotalSeconds / wallSeconds : null,
            BatchSizeCounts = Difference(batchesBefore, batchesAfter),
            Latencies = latencies,
        };
    }

    /// <summary>after − before, element by element (a missing element is zero); trailing zeros dropped.</summary>
    public static IReadOnlyList<long> Difference(IReadOnlyList<long> before, IReadOnlyList<long> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        int length = Math.Max(before.Count, after.Count);
        var difference = new long[length];
        for (int i = 0; i < length; i++)
        {
            difference[i] = (i < after.Count ? after[i] : 0) - (i < before.Count ? before[i] : 0);
        }

        int used = length;
        while (used > 0 && difference[used - 1] == 0)
        {
            used--;
        }

        return difference[..used];
    }
}
