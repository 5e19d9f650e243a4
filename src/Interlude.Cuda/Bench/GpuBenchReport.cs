using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Interlude.Cuda.Bench;

/// <summary>Prints the rows of the GPU benchmark as tables and the ratios its targets are stated in, and writes them as JSON Lines.</summary>
internal static class GpuBenchReport
{
    internal static void PrintTables(TextWriter output, IReadOnlyList<GpuBenchRow> rows)
    {
        foreach ((string section, string title) in new[]
        {
            ("latency", "Latency: one null kernel at a time, submission to continuation"),
            ("throughput", "Throughput: requests sharing the GPU, each a spin kernel then its continuation"),
        })
        {
            var inSection = rows.Where(r => r.Section == section).ToList();
            if (inSection.Count == 0)
            {
                continue;
            }

            output.WriteLine(title);
            output.WriteLine(Line("mode", "kernel us", "in flight", "samples", "p50 us", "p99 us", "ops/s", "cpu us/op", "idle cpu"));
            foreach (GpuBenchRow row in inSection)
            {
                output.WriteLine(Line(
                    row.Mode,
                    F(row.KernelUs, "0"),
                    row.InFlight.ToString(CultureInfo.InvariantCulture),
                    row.Samples.ToString("N0", CultureInfo.InvariantCulture),
                    F(row.P50Us, "0.00"),
                    F(row.P99Us, "0.00"),
                    F(row.OpsPerSecond, "N0"),
                    F(row.CpuUsPerOp, "0.00"),
                    F(row.IdleCpu, "0.000")));
            }

            output.WriteLine();
        }
    }

    /// <summary>The ratios the targets are stated in, each from rows of this one run.</summary>
    internal static void PrintRatios(TextWriter output, IReadOnlyList<GpuBenchRow> rows)
    {
        output.WriteLine("Ratios (this run):");
        GpuBenchRow? Find(string section, string mode, double kernelUs = 0) =>
            rows.FirstOrDefault(r => r.Section == section && r.Mode == mode && r.KernelUs == kernelUs);

        if (Find("latency", "interlude-mapped-flag-poll") is { } flag && Find("latency", "cuda-spin") is { } spin)
        {
            output.WriteLine(I($"  mapped flag (polling) p50 - cuda-spin p50: {flag.P50Us - spin.P50Us:+0.00;-0.00} us ({flag.P50Us:0.00} / {spin.P50Us:0.00}) (target <= +0.5 us)"));
        }

        if (Find("latency", "interlude-mapped-flag") is { } adaptive && Find("latency", "cuda-blocking-sync") is { } blocking)
        {
            output.WriteLine(I($"  adaptive idle cpu {adaptive.IdleCpu:0.000} vs cuda-blocking-sync {blocking.IdleCpu:0.000} cores (target: the same level)"));
        }

        foreach (double kernelUs in rows.Where(r => r.Section == "throughput").Select(r => r.KernelUs).Distinct())
        {
            if (Find("throughput", "interlude", kernelUs) is { } interlude && Find("throughput", "blocking", kernelUs) is { } threads)
            {
                output.WriteLine(I(
                    $"  {kernelUs:0} us kernels: interlude / blocking throughput {interlude.OpsPerSecond / threads.OpsPerSecond:0.00}x (target >= 2x), cpu/op {interlude.CpuUsPerOp / threads.CpuUsPerOp:0.00}x (target < 1)"));
            }
        }

        output.WriteLine();
    }

    /// <summary>One JSON object per row.</summary>
    internal static void WriteJsonLines(TextWriter output, IReadOnlyList<GpuBenchRow> rows, string machine)
    {
        foreach (GpuBenchRow row in rows)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("bench", "gpu");
                json.WriteString("machine", machine);
                json.WriteString("section", row.Section);
                json.WriteString("mode", row.Mode);
                Number(json, "kernel_us", row.KernelUs);
                json.WriteNumber("in_flight", row.InFlight);
                json.WriteNumber("samples", row.Samples);
                Number(json, "p50_us", row.P50Us);
                Number(json, "p99_us", row.P99Us);
                Number(json, "ops_per_s", row.OpsPerSecond);
                Number(json, "cpu_us_per_op", row.CpuUsPerOp);
                Number(json, "idle_cpu_cores", row.IdleCpu);
                json.WriteEndObject();
            }

            output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 4));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string F(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Line(params string[] cells) =>
        string.Join(" ", cells.Select((c, i) => i == 0 ? c.PadRight(28) : c.PadLeft(11)));
}
