using System.Globalization;
using Interlude.Harness.Inference;
using Interlude.Harness.Reporting;
using Interlude.Harness.Tls;

namespace Interlude.Cli.Commands;

/// <summary>Runs <c>interlude bench infer</c> once its options are parsed: finds h2load, measures, prints and writes the reports.</summary>
internal static class BenchInferRun
{
    internal static async Task<int> RunAsync(
        InferBenchSettings settings, bool quick, bool install, FileInfo? json, FileInfo html, string commandLine, CancellationToken cancellationToken)
    {
        string? h2load = H2load.Find();
        if (h2load is null && install)
        {
            await H2load.InstallAsync(cancellationToken).ConfigureAwait(false);
            h2load = H2load.Find();
        }

        if (h2load is null)
        {
            await Console.Error.WriteLineAsync(H2load.InstallHint).ConfigureAwait(false);
            return 2;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"interlude bench infer: POST /embed (all-MiniLM-L6-v2) on 127.0.0.1; h2load --h1 -n {settings.Requests} -c {settings.Clients} -m 1 per mode (closed loop), "
            + $"then {settings.OpenLoopFraction:G} of interlude-batching's requests/s for {settings.OpenLoopSeconds:G} s over {settings.OpenLoopClients} connections (open loop); "
            + $"loop on core {settings.LoopCore}, device on core {settings.DeviceCore}, {Environment.ProcessorCount} cores{(quick ? " (quick)" : string.Empty)}"));
        IReadOnlyList<InferModeResult> results = await InferBench.RunAsync(h2load, settings, Console.WriteLine, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<InferRatio> ratios = InferRatio.Compute(results, settings.MaxQueueDelay);

        Console.WriteLine();
        PrintTable(results);
        Console.WriteLine();
        foreach (InferRatio ratio in ratios)
        {
            string verdict = ratio.Met switch { true => "met", false => "not met", null => "no value" };
            string target = string.Create(CultureInfo.InvariantCulture, $"{(ratio.AtLeast ? ">=" : "<=")} {ratio.Target:G}");
            Console.WriteLine($"  {ratio.Description,-60} {BenchTlsCommand.Format(ratio.Value, "F3"),9}  (target {target}: {verdict})");
        }

        if (json is not null)
        {
            InferJsonWriter.Write(json, results, ratios, settings);
            Console.WriteLine($"JSON Lines written to {json.FullName}");
        }

        InferHtmlReport.Write(html, results, ratios, new HtmlReportContext(
            "interlude bench infer: sentence embeddings under h2load",
            HtmlReportContext.DescribeMachine(),
            $"Interlude loop on core {settings.LoopCore}, device thread on core {settings.DeviceCore}; aspnet-ort's and threadpool-async's ThreadPool and h2load unpinned",
            string.Create(
                CultureInfo.InvariantCulture,
                $"closed loop: {settings.Requests} requests per mode, {settings.Clients} connections; open loop: {settings.OpenLoopFraction:G} of interlude-batching's "
                + $"requests/s for {settings.OpenLoopSeconds:G} s over {settings.OpenLoopClients} connections; batching: at most {settings.MaxBatchSize}, queue delay "
                + $"{settings.MaxQueueDelay.TotalMicroseconds:G} us{(quick ? " (quick)" : string.Empty)}"),
            DateTimeOffset.UtcNow)
        {
            CommandLine = "interlude " + commandLine,
            Notes = InferHtmlReport.StandardNotes,
        });
        Console.WriteLine($"HTML report written to {html.FullName}");
        return results.Any(r => r.Error is null) ? 0 : 1;
    }

    private static void PrintTable(IReadOnlyList<InferModeResult> results)
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
    }
}
