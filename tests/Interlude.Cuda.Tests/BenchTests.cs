using Interlude.Cuda.Bench;
using Interlude.Cuda.Checks;
using Xunit;

namespace Interlude.Cuda.Tests;

public sealed class BenchTests
{
    [Fact]
    public void Without_a_gpu_the_bench_says_why_it_cannot_run()
    {
        string? why = GpuBench.WhyNotRunnable(probe: () => (false, "The CUDA driver (libcuda.so.1) was not found."));

        Assert.Equal("No usable CUDA GPU, so the GPU benchmark cannot run: The CUDA driver (libcuda.so.1) was not found.", why);
        Assert.Null(GpuBench.WhyNotRunnable(probe: () => (true, "")));
        Assert.NotEqual(0, GpuBench.NoGpuExitCode);
    }

    [Fact]
    public void On_this_machine_the_answer_matches_whether_a_gpu_is_there()
    {
        bool available = CudaDevice.IsAvailable(out string reason);
        string? why = GpuBench.WhyNotRunnable();

        Assert.Equal(available, why is null);
        Assert.True(available || reason.Length > 0);
    }

    [Fact]
    public void The_report_prints_the_target_ratios_from_the_rows_and_writes_a_json_object_per_row()
    {
        GpuBenchRow[] rows =
        [
            new("latency", "interlude-mapped-flag-poll", 0, 1, 100, 8.2, 9.0, 1e5, 8.0, 1.0),
            new("latency", "cuda-spin", 0, 1, 100, 8.0, 9.5, 1e5, 8.1, 0.0),
            new("latency", "interlude-mapped-flag", 0, 1, 100, 9.0, 12.0, 1e5, 4.0, 0.01),
            new("latency", "cuda-blocking-sync", 0, 1, 100, 20.0, 30.0, 5e4, 6.0, 0.0),
            new("throughput", "interlude", 10, 64, 1000, 100, 200, 300_000, 2.0, double.NaN),
            new("throughput", "blocking", 10, 64, 1000, 300, 900, 100_000, 8.0, double.NaN),
        ];
        var text = new StringWriter();
        GpuBenchReport.PrintTables(text, rows);
        GpuBenchReport.PrintRatios(text, rows);
        string printed = text.ToString();

        Assert.Contains("mapped flag (polling) p50 - cuda-spin p50: +0.20 us", printed, StringComparison.Ordinal);
        Assert.Contains("10 us kernels: interlude / blocking throughput 3.00x (target >= 2x), cpu/op 0.25x", printed, StringComparison.Ordinal);

        var json = new StringWriter();
        GpuBenchReport.WriteJsonLines(json, rows, "test machine");
        string[] lines = json.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows.Length, lines.Length);
        using var last = System.Text.Json.JsonDocument.Parse(lines[^1]);
        Assert.Equal("blocking", last.RootElement.GetProperty("mode").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, last.RootElement.GetProperty("idle_cpu_cores").ValueKind);
    }

    [Fact]
    public void Every_check_the_gpu_runs_is_named()
    {
        Assert.Equal(8, GpuChecks.Names.Count);
        Assert.Contains("null-kernel/MappedFlag", GpuChecks.Names);
        Assert.Contains("mlp", GpuChecks.Names);
    }
}
