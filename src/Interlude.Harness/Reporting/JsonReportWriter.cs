using System.Text.Json;
using Interlude.Harness.Measurement;
using Interlude.Harness.Modes;

namespace Interlude.Harness.Reporting;

/// <summary>
/// Writes results as JSON Lines: one object per configuration, one per line. The file appears whole or not at
/// all: it is written beside its destination under a temporary name and renamed into place.
/// </summary>
public static class JsonReportWriter
{
    public static void Write(FileInfo destination, IReadOnlyList<RunResult> results, CorePlacement placement)
    {
        AtomicFile.Write(destination, writer =>
        {
            foreach (RunResult result in results)
            {
                writer.WriteLine(JsonSerializer.Serialize(ToRecord(result, placement), ReportJsonContext.Default.JsonResultRecord));
            }
        });
    }

    private static JsonResultRecord ToRecord(RunResult result, CorePlacement placement)
        => new()
        {
            Mode = result.Mode,
            Load = result.Workload.RateRps is null ? "closed" : "open",
            RateRps = result.Workload.RateRps,
            OffloadUs = result.Workload.OffloadUs,
            CpuUs = result.Workload.CpuUs,
            CpuUsMeasured = Round(result.CpuWorkUs, 4),
            CpuUsMeasuredBefore = Round(result.CpuWorkBeforeNs / 1000, 4),
            CpuUsMeasuredAfter = Round(result.CpuWorkAfterNs / 1000, 4),
            Concurrency = result.Workload.Concurrency,
            ApplicationCores = placement.ApplicationCores.Count,
            DeviceCore = placement.DeviceCore,
            DurationSeconds = Round(result.Elapsed.TotalSeconds, 4),
            Requests = result.Requests,
            ThroughputRps = Round(result.ThroughputRps, 1),
            BoundRps = Round(result.Bound.RequestsPerSecond, 1),
            BoundLimitedBy = result.Bound.LimitedBy,
            Efficiency = Round(result.Efficiency, 4),
            P50Us = Round(result.P50Us, 3),
            P99Us = Round(result.P99Us, 3),
            P999Us = Round(result.P999Us, 3),
            MaxUs = Round(result.MaxUs, 3),
            CpuUsPerRequest = Round(result.CpuUsPerRequest, 4),
            ProcessCpuUsPerRequest = Round(result.ProcessCpuUsPerRequest, 4),
            CswPerRequest = Round(result.CswPerRequest, 6),
            VoluntaryCswPerRequest = Round(result.VoluntaryCswPerRequest, 6),
            InvoluntaryCswPerRequest = Round(result.InvoluntaryCswPerRequest, 6),
            LoopSleepsPerRequest = Round(result.SleepsPerRequest, 6),
            LoopWakesPerRequest = Round(result.WakesPerRequest, 6),
            LoopBusy = Round(result.LoopBusyFraction, 4),
            AllocatedBytesPerRequest = Round(result.AllocatedBytesPerRequest, 3),
            Gen0Collections = result.Gen0Collections,
            OtherProcessesCores = Round(result.OtherProcessesCores, 3),
            StealCores = Round(result.StealCores, 3),
            Stalls = result.Stalls,
        };

    private static double Round(double value, int digits) => Math.Round(value, digits);

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}
