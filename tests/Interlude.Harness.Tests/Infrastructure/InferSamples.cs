using Interlude.Harness.Inference;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>Made-up <c>bench infer</c> results.</summary>
internal static class InferSamples
{
    public static readonly InferBenchSettings Settings = new(
        InferModes.All, 3000, 32, 300, 10, 0.5, 16, 32, TimeSpan.FromMicroseconds(500), 0, 1, InferBenchSettings.DefaultText);

    /// <summary>A phase with the given figures and <paramref name="succeeded"/> latencies at <paramref name="latencyUs"/>.</summary>
    public static InferLoadResult Load(double perSecond, double latencyUs, double cpuUs, double? device = 0.9, long succeeded = 10, double? offered = null, long[]? batches = null)
    {
        var latencies = new LatencyHistogram();
        for (int i = 0; i < succeeded; i++)
        {
            latencies.Record((long)(latencyUs * 1000));
        }

        return new InferLoadResult
        {
            Requests = succeeded,
            Succeeded = succeeded,
            Failed = 0,
            OfferedPerSecond = offered,
            RequestsPerSecond = perSecond,
            P50Us = latencyUs,
            P99Us = latencyUs * 2,
            P999Us = latencyUs * 3,
            AppCpuUsPerRequest = cpuUs,
            DeviceUtilization = device,
            DeviceCpuUtilization = device,
            BatchSizeCounts = batches ?? [],
            Latencies = latencies,
        };
    }

    /// <summary>Every mode measured: batching 3× aspnet-ort's throughput, interlude 1.5× threadpool-async's at half its CPU.</summary>
    public static IReadOnlyList<InferModeResult> All() =>
    [
        new(InferModes.AspNetOrt, null, Load(100, 10_000, 9000, device: null), Load(150, 7000, 9000, device: null, offered: 150)),
        new(InferModes.Blocking, null, Load(70, 14_000, 2500), Load(150, 9000, 2000, offered: 150)),
        new(InferModes.BusyWait, null, Load(60, 15_000, 9000), Load(150, 9500, 8000, offered: 150)),
        new(InferModes.ThreadPoolAsync, null, Load(80, 12_000, 2000), Load(150, 8000, 1500, offered: 150)),
        new(InferModes.Interlude, null, Load(120, 9000, 1000), Load(150, 6000, 900, offered: 150)),
        new(InferModes.InterludeBatching, null, Load(300, 5000, 500, batches: [0, 2, 0, 4]), Load(150, 6300, 600, offered: 150, batches: [0, 10, 5])),
    ];
}
