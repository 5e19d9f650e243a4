using System.Text.Json.Serialization;

namespace Interlude.Harness.Reporting;

/// <summary>One configuration's results as written to the JSON report (one object per line).</summary>
public sealed class JsonResultRecord
{
    [JsonPropertyName("mode")]
    public required string Mode { get; init; }

    /// <summary>
    /// "closed": N requests in flight, each issued as soon as the previous one of its worker completed. "open":
    /// Poisson arrivals at <see cref="RateRps"/>, at most N in service, latency from each scheduled arrival.
    /// </summary>
    [JsonPropertyName("load")]
    public required string Load { get; init; }

    /// <summary>The open loop's target arrival rate; null for a closed loop.</summary>
    [JsonPropertyName("rate_rps")]
    public required double? RateRps { get; init; }

    [JsonPropertyName("offload_us")]
    public required double OffloadUs { get; init; }

    /// <summary>The CPU work per request asked for (pre + post).</summary>
    [JsonPropertyName("cpu_us")]
    public required double CpuUs { get; init; }

    /// <summary>c as measured: the mean of the readings right before and right after the run; the bound uses it.</summary>
    [JsonPropertyName("cpu_us_measured")]
    public required double CpuUsMeasured { get; init; }

    [JsonPropertyName("cpu_us_measured_before")]
    public required double CpuUsMeasuredBefore { get; init; }

    [JsonPropertyName("cpu_us_measured_after")]
    public required double CpuUsMeasuredAfter { get; init; }

    [JsonPropertyName("concurrency")]
    public required int Concurrency { get; init; }

    [JsonPropertyName("application_cores")]
    public required int ApplicationCores { get; init; }

    [JsonPropertyName("device_core")]
    public required int DeviceCore { get; init; }

    [JsonPropertyName("duration_s")]
    public required double DurationSeconds { get; init; }

    [JsonPropertyName("requests")]
    public required long Requests { get; init; }

    [JsonPropertyName("throughput_rps")]
    public required double ThroughputRps { get; init; }

    [JsonPropertyName("bound_rps")]
    public required double BoundRps { get; init; }

    /// <summary>"cpu" or "offload": which term of the bound is the smaller.</summary>
    [JsonPropertyName("bound_limited_by")]
    public required string BoundLimitedBy { get; init; }

    [JsonPropertyName("efficiency")]
    public required double Efficiency { get; init; }

    [JsonPropertyName("p50_us")]
    public required double P50Us { get; init; }

    [JsonPropertyName("p99_us")]
    public required double P99Us { get; init; }

    [JsonPropertyName("p999_us")]
    public required double P999Us { get; init; }

    [JsonPropertyName("max_us")]
    public required double MaxUs { get; init; }

    /// <summary>The process without the simulated device's thread; null where getrusage is unavailable.</summary>
    [JsonPropertyName("cpu_us_per_request")]
    public required double? CpuUsPerRequest { get; init; }

    /// <summary>The whole process, the spinning device thread included.</summary>
    [JsonPropertyName("process_cpu_us_per_request")]
    public required double? ProcessCpuUsPerRequest { get; init; }

    [JsonPropertyName("csw_per_request")]
    public required double? CswPerRequest { get; init; }

    [JsonPropertyName("voluntary_csw_per_request")]
    public required double? VoluntaryCswPerRequest { get; init; }

    [JsonPropertyName("involuntary_csw_per_request")]
    public required double? InvoluntaryCswPerRequest { get; init; }

    [JsonPropertyName("loop_sleeps_per_request")]
    public required double? LoopSleepsPerRequest { get; init; }

    [JsonPropertyName("loop_wakes_per_request")]
    public required double? LoopWakesPerRequest { get; init; }

    /// <summary>Share of the measured period the loops spent running work rather than idle.</summary>
    [JsonPropertyName("loop_busy")]
    public required double? LoopBusy { get; init; }

    [JsonPropertyName("allocated_bytes_per_request")]
    public required double? AllocatedBytesPerRequest { get; init; }

    [JsonPropertyName("gen0_collections")]
    public required int Gen0Collections { get; init; }

    /// <summary>Cores' worth of CPU other processes used during the run (machine busy time less this process's).</summary>
    [JsonPropertyName("other_processes_cores")]
    public required double? OtherProcessesCores { get; init; }

    [JsonPropertyName("steal_cores")]
    public required double? StealCores { get; init; }

    [JsonPropertyName("stalls")]
    public required int Stalls { get; init; }
}
