using System.Globalization;
using Interlude.Harness.Inference;
using Interlude.Harness.OpenLoop;
using Interlude.Harness.Reporting;
using Interlude.Harness.Tls;

namespace Interlude.Cli.Commands;

/// <summary>Runs <c>interlude bench infer</c> once its options are parsed: finds h2load, measures, prints and writes the reports.</summary>
internal static class BenchInferRun
{
    internal static async Task<int> RunAsync(
        InferBenchSettings settings, bool quick, bool install, FileInfo? json, FileInfo html, string commandLine, CancellationToken cancellationToken)
    {
        string? h2load = await H2load.FindOrInstallAsync(install, cancellationToken).ConfigureAwait(false);
        if (h2load is null)
        {
            return 2;
        }

        string endpoints = string.Join(", ", settings.Models.Select(m => $"POST /{InferModels.Path(m)} ({InferModels.DisplayName(m)})"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"interlude bench infer: {endpoints} on 127.0.0.1; h2load --h1 -n {settings.Requests} -c {settings.Clients} -m 1 per mode (closed loop), "
            + $"then {settings.OpenLoopFraction:G} of interlude-batching's requests/s (interlude's without batching) for {settings.OpenLoopSeconds:G} s, "
            + $"{Describe(settings.Arrivals)}, up to {settings.OpenLoopClients} connections (open loop, a separate process); "
            + $"loop on core {settings.LoopCore}, device on core {settings.DeviceCore}, {Environment.ProcessorCount} cores{(quick ? " (quick)" : string.Empty)}"));
        IReadOnlyList<InferModeResult> results = await InferBench.RunAsync(h2load, settings, Console.WriteLine, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<InferRatio> ratios = InferRatio.Compute(results, settings.MaxQueueDelay);

        foreach (string model in settings.Models)
        {
            Console.WriteLine();
            Console.WriteLine($"{InferModels.DisplayName(model)}, POST /{InferModels.Path(model)}:");
            PrintTable(model, settings.Modes, results.Where(r => r.Model == model).ToList());
            Console.WriteLine();
            foreach (InferRatio ratio in ratios.Where(r => r.Model == model))
            {
                string verdict = ratio.Met switch { true => "met", false => "not met", null => "no value" };
                string target = string.Create(CultureInfo.InvariantCulture, $"{(ratio.AtLeast ? ">=" : "<=")} {ratio.Target:G}");
                Console.WriteLine($"  {ratio.Description,-60} {BenchTlsCommand.Format(ratio.Value, "F3"),9}  (target {target}: {verdict})");
            }
        }

        Console.WriteLine();

        if (json is not null)
        {
            InferJsonWriter.Write(json, results, ratios, settings);
            Console.WriteLine($"JSON Lines written to {json.FullName}");
        }

        foreach (string model in settings.Models)
        {
            FileInfo file = HtmlFileFor(html, model, settings.Models.Count);
            InferHtmlReport.Write(file, results.Where(r => r.Model == model).ToList(), ratios.Where(r => r.Model == model).ToList(), new HtmlReportContext(
                $"interlude bench infer: {InferModels.DisplayName(model)} (POST /{InferModels.Path(model)})",
                HtmlReportContext.DescribeMachine(),
                $"Interlude loop on core {settings.LoopCore}, device thread on core {settings.DeviceCore}; aspnet-ort's and threadpool-async's ThreadPool, h2load and the open-loop client unpinned",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"closed loop: {settings.Requests} requests per mode, {settings.Clients} connections; open loop: {settings.OpenLoopFraction:G} of interlude-batching's "
                    + $"requests/s (interlude's without batching) for {settings.OpenLoopSeconds:G} s, {Describe(settings.Arrivals)}, up to {settings.OpenLoopClients} "
                    + $"connections; batching: at most {settings.MaxBatchSize}, queue delay {settings.MaxQueueDelay.TotalMicroseconds:G} us{(quick ? " (quick)" : string.Empty)}"),
                DateTimeOffset.UtcNow)
            {
                CommandLine = "interlude " + commandLine,
                Notes = InferHtmlReport.StandardNotes,
            });
            Console.WriteLine($"HTML report written to {file.FullName}");
        }

        return results.Any(r => r.Error is null) ? 0 : 1;
    }

    /// <summary>
    /// How <c>bench infer</c> starts its open-loop client: this program's own hidden <c>load</c> command, run by the
    /// dotnet host (the one running now when it is the host, else <c>DOTNET_ROOT</c>'s or the one on the PATH), so the
    /// same build runs it from <c>dotnet run</c>, the installed tool and the tests.
    /// </summary>
    internal static IReadOnlyList<string> LoadClientCommand()
    {
        string assembly = typeof(BenchInferRun).Assembly.Location;
        string host = Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet"
            ? current
            : Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))
                ? Path.Combine(root, "dotnet")
                : "dotnet";
        return [host, assembly, "load"];
    }

    /// <summary>The report's file: <paramref name="html"/> for one model; for several, its name with "-model" before the extension.</summary>
    internal static FileInfo HtmlFileFor(FileInfo html, string model, int models)
        => models <= 1 ? html : new FileInfo(Path.Combine(html.DirectoryName ?? ".", $"{Path.GetFileNameWithoutExtension(html.Name)}-{model}{html.Extension}"));

    private static string Describe(ArrivalProcess arrivals) => arrivals == ArrivalProcess.Poisson ? "Poisson arrivals" : "constant gaps";

    private static void PrintTable(string model, IReadOnlyList<string> modes, IReadOnlyList<InferModeResult> results)
    {
        Console.WriteLine(
            $"{"mode",-19} {"load",-6} {"offered/s",9} {"req/s",7} {"failed",6} {"p50 ms",7} {"p99 ms",7} {"p99.9 ms",8} {"app us/req",10} {"device",6} {"batch",5}  batch sizes");
        foreach (InferModeResult r in results)
        {
            if (r.Error is not null)
            {
                Console.WriteLine($"{r.Mode,-19} not measured: {r.Error}");
                continue;
            }

            foreach ((string phase, InferLoadResult? load) in new[] { ("closed", r.Closed), ("open", r.Open) })
            {
                if (load is null)
                {
                    continue;
                }

                string device = load.DeviceUtilization is { } busy ? BenchTlsCommand.Format(busy, "F2") : "-";
                Console.WriteLine(
                    $"{r.Mode,-19} {phase,-6} {BenchTlsCommand.Format(load.OfferedPerSecond ?? double.NaN, "F0"),9} {BenchTlsCommand.Format(load.RequestsPerSecond, "F0"),7} "
                    + $"{load.Failed,6} {BenchTlsCommand.Format(load.P50Us / 1000, "F2"),7} {BenchTlsCommand.Format(load.P99Us / 1000, "F2"),7} "
                    + $"{BenchTlsCommand.Format(load.P999Us / 1000, "F2"),8} {BenchTlsCommand.Format(load.AppCpuUsPerRequest, "F0"),10} {device,6} "
                    + $"{BenchTlsCommand.Format(load.AverageBatchSize, "F1"),5}  {InferHtmlReport.DescribeBatches(load.BatchSizeCounts)}");
            }
        }

        foreach (string mode in modes)
        {
            if (InferModels.SkipReason(model, mode) is { } reason)
            {
                Console.WriteLine($"{mode,-19} left out: {reason}");
            }
        }
    }
}
