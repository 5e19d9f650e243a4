using System.Globalization;
using Interlude.Harness.Reporting;
using Interlude.Harness.Tls;

namespace Interlude.Cli.Commands;

/// <summary>Runs <c>interlude bench tls</c> once its options are parsed: finds h2load, measures, prints and writes the reports.</summary>
internal static class BenchTlsRun
{
    internal static async Task<int> RunAsync(
        TlsBenchSettings settings, bool quick, bool install, FileInfo? json, FileInfo html, string commandLine, CancellationToken cancellationToken)
    {
        string? h2load = await H2load.FindOrInstallAsync(install, cancellationToken).ConfigureAwait(false);
        if (h2load is null)
        {
            return 2;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"interlude bench tls: h2load --h1 -n {settings.Handshakes} -c {settings.Clients} -t {settings.H2loadThreads} -m 1 -H 'Connection: close' "
            + $"per mode and round, {settings.Rounds} round(s), GET {TlsServer.Path} on 127.0.0.1; loop on core {settings.LoopCore}, "
            + $"engine on core {settings.EngineCore}, {Environment.ProcessorCount} cores{(quick ? " (quick)" : string.Empty)}"));
        IReadOnlyList<TlsConfigurationResult> results = await TlsBench.RunAsync(h2load, settings, Console.WriteLine, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<GatewayResult> gateway = settings.GatewayRequests > 0
            ? await GatewayBench.RunAsync(h2load, settings, Console.WriteLine, cancellationToken).ConfigureAwait(false)
            : [];

        Console.WriteLine();
        PrintTable(results);
        foreach (TlsConfigurationResult configuration in results)
        {
            PrintRatios(configuration);
        }

        PrintGateway(gateway);

        if (json is not null)
        {
            TlsJsonWriter.Write(json, results, gateway, settings);
            Console.WriteLine($"JSON Lines written to {json.FullName}");
        }

        TlsHtmlReport.Write(html, results, gateway, new HtmlReportContext(
            "interlude bench tls: full TLS handshakes under h2load",
            HtmlReportContext.DescribeMachine(),
            $"Interlude loop on core {settings.LoopCore}, engine thread on core {settings.EngineCore}; h2load and the in-process probe unpinned",
            string.Create(
                CultureInfo.InvariantCulture,
                $"{settings.Handshakes} handshakes per mode and round, {settings.Clients} in flight, {settings.Rounds} round(s); probe: "
                + $"{settings.ProbeConnections} connections, one request each per {settings.ProbeInterval.TotalMilliseconds:G} ms; sampler: one handshake per "
                + $"{settings.SampleInterval.TotalMilliseconds:G} ms{(quick ? " (quick)" : string.Empty)}"),
            DateTimeOffset.UtcNow)
        {
            CommandLine = "interlude " + commandLine,
            Notes = TlsHtmlReport.StandardNotes,
        });
        Console.WriteLine($"HTML report written to {html.FullName}");
        return results.SelectMany(r => r.Results).Any(r => r.Error is null) || gateway.Any(g => g.Error is null) ? 0 : 1;
    }

    private static void PrintTable(IReadOnlyList<TlsConfigurationResult> results)
    {
        Console.WriteLine(
            $"{"configuration",-18} {"mode",-16} {"handshakes/s",12} {"failed",7} {"app us/hs",10} {"engine",7} {"h2load",7} {"hs p50 ms",10} {"hs p99 ms",10} "
            + $"{"ka p50 us",10} {"ka p99 us",10} {"ka n",7}");
        foreach (TlsConfigurationResult configuration in results)
        {
            foreach (TlsModeResult r in configuration.Results)
            {
                if (r.Error is not null)
                {
                    Console.WriteLine($"{configuration.Configuration.Name,-18} {r.Mode,-16} not measured: {r.Error}");
                    continue;
                }

                string engine = r.EngineUtilization is { } busy ? BenchTlsCommand.Format(busy, "F2") : "-";
                string client = r.LoadGeneratorUtilization is { } clientBusy ? BenchTlsCommand.Format(clientBusy, "F2") : "-";
                Console.WriteLine(
                    $"{configuration.Configuration.Name,-18} {r.Mode,-16} {BenchTlsCommand.Format(r.HandshakesPerSecond, "F0"),12} {r.Failed,7} "
                    + $"{BenchTlsCommand.Format(r.AppCpuUsPerHandshake, "F0"),10} {engine,7} {client,7} {BenchTlsCommand.Format(r.HandshakeP50Us / 1000, "F2"),10} "
                    + $"{BenchTlsCommand.Format(r.HandshakeP99Us / 1000, "F2"),10} {BenchTlsCommand.Format(r.ProbeP50Us, "F0"),10} "
                    + $"{BenchTlsCommand.Format(r.ProbeP99Us, "F0"),10} {r.ProbeRequests,7}");
            }
        }
    }

    private static void PrintGateway(IReadOnlyList<GatewayResult> gateway)
    {
        if (gateway.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("SecureGateway, POST /tokens (ES256) on kept-alive connections, ecdsa-p256/tls1.3:");
        Console.WriteLine($"{"mode",-16} {"tokens/s",10} {"failed",7} {"p50 us",9} {"p99 us",9} {"app us/req",11} {"engine",7}");
        foreach (GatewayResult g in gateway)
        {
            if (g.Error is not null)
            {
                Console.WriteLine($"{g.Mode,-16} not measured: {g.Error}");
                continue;
            }

            string engine = g.EngineUtilization is { } busy ? BenchTlsCommand.Format(busy, "F2") : "-";
            Console.WriteLine(
                $"{g.Mode,-16} {BenchTlsCommand.Format(g.TokensPerSecond, "F0"),10} {g.Failed,7} {BenchTlsCommand.Format(g.P50Us, "F0"),9} "
                + $"{BenchTlsCommand.Format(g.P99Us, "F0"),9} {BenchTlsCommand.Format(g.AppCpuUsPerRequest, "F0"),11} {engine,7}");
        }
    }

    private static void PrintRatios(TlsConfigurationResult configuration)
    {
        Console.WriteLine();
        string capacity = TlsHtmlReport.DescribeCapacity(configuration);
        Console.WriteLine($"{configuration.Configuration.Name}: {capacity}");
        foreach (TlsRatio ratio in configuration.Ratios)
        {
            string verdict = ratio.Met switch { true => "met", false => "not met", null => "no value" };
            string target = string.Create(CultureInfo.InvariantCulture, $"{(ratio.AtLeast ? ">=" : "<=")} {ratio.Target:G}");
            Console.WriteLine($"  {ratio.Description,-60} {BenchTlsCommand.Format(ratio.Value, "F3"),8}  (target {target}: {verdict})");
        }
    }
}
