using System.Globalization;
using System.Text;
using System.Text.Json;
using Interlude.Harness.Reporting;

namespace Interlude.Harness.Inference;

/// <summary>
/// Writes <c>interlude bench infer</c>'s results as JSON Lines: one object per mode and load phase ("phase":
/// "closed" or "open") and model ("model"), each carrying its model's ratios. Figures that could not be measured are null. The file
/// appears whole or not at all.
/// </summary>
public static class InferJsonWriter
{
    public static void Write(FileInfo destination, IReadOnlyList<InferModeResult> results, IReadOnlyList<InferRatio> ratios, InferBenchSettings settings)
    {
        IReadOnlyList<string> lines = ToLines(results, ratios, settings);
        AtomicFile.Write(destination, writer =>
        {
            foreach (string line in lines)
            {
                writer.WriteLine(line);
            }
        });
    }

    /// <summary>The lines: per mode its closed-loop phase, then its open-loop phase where it ran; a failed mode has one line.</summary>
    public static IReadOnlyList<string> ToLines(IReadOnlyList<InferModeResult> results, IReadOnlyList<InferRatio> ratios, InferBenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(ratios);
        ArgumentNullException.ThrowIfNull(settings);
        var lines = new List<string>();
        foreach (InferModeResult result in results)
        {
            if (result.Error is not null || result.Closed is null)
            {
                lines.Add(ToLine(result.Model, result.Mode, "closed", result.Error ?? "not measured", null, ratios, settings));
                continue;
            }

            lines.Add(ToLine(result.Model, result.Mode, "closed", null, result.Closed, ratios, settings));
            if (result.Open is not null)
            {
                lines.Add(ToLine(result.Model, result.Mode, "open", null, result.Open, ratios, settings));
            }
        }

        return lines;
    }

    private static string ToLine(string model, string mode, string phase, string? error, InferLoadResult? load, IReadOnlyList<InferRatio> ratios, InferBenchSettings settings)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("mode", mode);
            json.WriteString("phase", phase);
            if (error is null)
            {
                json.WriteNull("error");
            }
            else
            {
                json.WriteString("error", error);
            }

            json.WriteString("model", InferModels.DisplayName(model));
            json.WriteBoolean("device", InferModes.UsesDevice(mode));
            json.WriteNumber("max_batch_size", mode == InferModes.InterludeBatching ? settings.MaxBatchSize : 1);
            json.WriteNumber("max_queue_delay_us", mode == InferModes.InterludeBatching ? settings.MaxQueueDelay.TotalMicroseconds : 0);
            json.WriteNumber("clients", phase == "open" ? settings.OpenLoopClients : settings.Clients);
            json.WriteNumber("loop_core", settings.LoopCore);
            json.WriteNumber("device_core", settings.DeviceCore);
            json.WriteNumber("cores", Environment.ProcessorCount);
            json.WriteNumber("requests", load?.Requests ?? 0);
            json.WriteNumber("succeeded", load?.Succeeded ?? 0);
            json.WriteNumber("failed", load?.Failed ?? 0);
            Number(json, "offered_per_s", load?.OfferedPerSecond ?? double.NaN, 1);
            Number(json, "requests_per_s", load?.RequestsPerSecond ?? double.NaN, 1);
            Number(json, "p50_us", load?.P50Us ?? double.NaN, 1);
            Number(json, "p99_us", load?.P99Us ?? double.NaN, 1);
            Number(json, "p999_us", load?.P999Us ?? double.NaN, 1);
            Number(json, "app_cpu_us_per_request", load?.AppCpuUsPerRequest ?? double.NaN, 2);
            Number(json, "device_utilization", load?.DeviceUtilization ?? double.NaN, 4);
            Number(json, "device_cpu_utilization", load?.DeviceCpuUtilization ?? double.NaN, 4);
            Number(json, "average_batch_size", load?.AverageBatchSize ?? double.NaN, 3);
            json.WriteStartObject("batch_sizes");
            IReadOnlyList<long> counts = load?.BatchSizeCounts ?? [];
            for (int size = 1; size < counts.Count; size++)
            {
                if (counts[size] != 0)
                {
                    json.WriteNumber(size.ToString(CultureInfo.InvariantCulture), counts[size]);
                }
            }

            json.WriteEndObject();
            json.WriteString("arrivals", phase == "open" ? (settings.Arrivals == OpenLoop.ArrivalProcess.Poisson ? "poisson" : "constant") : null);
            foreach (InferRatio ratio in ratios.Where(r => r.Model == model))
            {
                Number(json, "ratio_" + ratio.Name, ratio.Value, 4);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Number(Utf8JsonWriter json, string name, double value, int digits)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, digits));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
