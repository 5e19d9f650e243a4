using System.CommandLine;
using Interlude.Cli.Reporting;
using Interlude.Cuda.Bench;
using Interlude.Harness.Reporting;

namespace Interlude.Cli.Commands;

/// <summary>Declares <c>interlude bench gpu</c>: completion detection on a CUDA GPU, latency and CPU per mode, and throughput of requests sharing the GPU.</summary>
internal static class BenchGpuCommand
{
    internal const string DefaultHtml = "interlude-gpu.html";

    internal const string Notes = """
        Needs an NVIDIA GPU with its driver (libcuda.so.1), NVRTC and cuBLAS (from a CUDA toolkit or the CUDA pip
        wheels; INTERLUDE_CUDA_DRIVER, INTERLUDE_NVRTC and INTERLUDE_CUBLAS name them if they are elsewhere). Without
        a GPU it says why and exits with code 3.

        Sections (all by default):
          latency     one null kernel at a time, submission to continuation, for each completion detection mode on a
                      loop (interlude-mapped-flag with adaptive waiting, and with -poll and -block; interlude-event-query,
                      -blocking-event, -host-callback), for CUDA's own scheduling flags with a thread waiting in
                      cuStreamSynchronize (cuda-spin, cuda-yield, cuda-blocking-sync), and for threadpool-async (a host
                      function completes a task; the continuation runs on the ThreadPool); idle cpu is the process's
                      CPU, in cores, while the mode sits idle afterwards
          throughput  64 requests sharing the GPU, each a spin kernel of 10, 50 or 100 us then its continuation, under
                      blocking (thread per request, CU_CTX_SCHED_BLOCKING_SYNC), busywait (thread per request,
                      CU_CTX_SCHED_SPIN), threadpool-async and interlude (loops, mapped flag, adaptive waiting)
        cpu us/op is the process's CPU time (user + system) per operation.

        Examples:
          interlude bench gpu --quick
          interlude bench gpu --sections latency --json gpu.jsonl --html gpu.html
        """;

    internal static Command Create()
    {
        var sections = new Option<string[]>("--sections")
        {
            Description = $"Sections to run, comma-separated: {string.Join(", ", GpuBenchSettings.Sections)}.",
            HelpName = "list",
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
        };
        sections.Validators.Add(r =>
        {
            foreach (string name in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!GpuBenchSettings.Sections.Contains(name))
                {
                    r.AddError($"--sections: unknown section '{name}'; use {string.Join(", ", GpuBenchSettings.Sections)}.");
                }
            }
        });
        var quick = new Option<bool>("--quick") { Description = "Fewer samples and shorter rows: well under a minute; figures are rough." };
        Option<FileInfo?> json = OutputFile.Create("--json", "Write one JSON object per row (JSON Lines) to this file.");
        Option<FileInfo?> html = OutputFile.Create("--html", $"Write the HTML report here (default: {DefaultHtml}).");
        var command = new Command("gpu", "Measure GPU completion detection: latency and CPU per detection mode against CUDA's scheduling flags, and throughput of many requests sharing the GPU.")
        {
            sections,
            quick,
            json,
            html,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            IReadOnlyList<string> chosen = parseResult.GetValue(sections) is { Length: > 0 } names ? names : GpuBenchSettings.Sections;
            return RunAsync(chosen, parseResult.GetValue(quick), parseResult.GetValue(json), parseResult.GetValue(html) ?? new FileInfo(DefaultHtml), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyCollection<string> sections, bool quick, FileInfo? json, FileInfo html, CancellationToken cancellationToken)
    {
        Console.WriteLine("Interlude bench gpu: GPU completion detection, latency, CPU and throughput");
        if (GpuBench.WhyNotRunnable() is { } why)
        {
            Console.Error.WriteLine(why);
            return GpuBench.NoGpuExitCode;
        }

        string machine = HtmlReportContext.DescribeMachine();
        Console.WriteLine($"  {machine}");
        Console.WriteLine();
        var bench = new GpuBench(new GpuBenchSettings(quick));
        IReadOnlyList<GpuBenchRow> rows = await bench.RunAsync(sections, line => Console.Error.WriteLine($"  ... {line}"), cancellationToken).ConfigureAwait(false);
        GpuBenchReport.PrintTables(Console.Out, rows);
        GpuBenchReport.PrintRatios(Console.Out, rows);
        if (json is not null)
        {
            AtomicFile.Write(json, writer => GpuBenchReport.WriteJsonLines(writer, rows, machine));
            Console.WriteLine($"JSON: {json.FullName}");
        }

        GpuHtmlReport.Write(html, rows, machine, "interlude " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
        Console.WriteLine($"HTML report: {html.FullName}");
        return cancellationToken.IsCancellationRequested ? 130 : 0;
    }
}
