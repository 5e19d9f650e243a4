using System.CommandLine;
using System.Globalization;
using Interlude.Harness.Http;

namespace Interlude.Cli.Commands;

/// <summary>
/// Declares <c>interlude bench http</c>: wrk against the plaintext endpoint of one stock ASP.NET Core app, on
/// Kestrel's socket transport and on Interlude, one after the other with the same settings.
/// </summary>
internal static class BenchHttpCommand
{
    internal static Command Create()
    {
        Option<int> threads = NumericOption.Integer("--threads", "n", "wrk threads.", 2, 1, 256);
        threads.Aliases.Add("-t");
        Option<int> connections = NumericOption.Integer("--connections", "n", "Open connections (wrk -c).", 64, 1, 100_000);
        connections.Aliases.Add("-c");
        Option<int> duration = NumericOption.Integer("--duration", "seconds", "Measured seconds per transport.", 5, 1, 3600);
        duration.Aliases.Add("-d");
        Option<int> warmup = NumericOption.Integer("--warmup", "seconds", "Warm-up seconds per transport, not measured.", 2, 0, 600);
        Option<int?> loops = NumericOption.OptionalInteger("--loops", "n", "Interlude loops (default: one per core).", 1, 1024);
        var wait = new Option<WaitStrategy>("--wait")
        {
            Description = "Interlude loops' wait strategy (the transport's default is Block).",
            DefaultValueFactory = _ => WaitStrategy.Block,
        };
        var noPin = new Option<bool>("--no-pin") { Description = "Do not pin Interlude loops to cores." };
        var installWrk = new Option<bool>("--install-wrk") { Description = "Install wrk first if it is missing (runs scripts/install-wrk.sh)." };
        Option<FileInfo?> json = OutputFile.Create("--json", "Write both results and the ratio as JSON to this file.");
        var openFraction = new Option<double>("--open-fraction")
        {
            Description = "Open loop (h2load --rps): offered rate as a fraction of Kestrel sockets' closed-loop requests/s; 0 skips it.",
            DefaultValueFactory = _ => 0.5,
        };
        Option<int> openSeconds = NumericOption.Integer("--open-seconds", "seconds", "Open loop: seconds per transport and round.", 5, 1, 3600);
        Option<int> rounds = NumericOption.Integer("--rounds", "n", "Rounds of each h2load phase, the transports alternating in each.", 3, 1, 100);
        Option<int> connectionRequests = NumericOption.Integer(
            "--connection-requests", "n", "Connection per request: requests per transport and round; 0 skips it.", 5000, 0, 10_000_000);
        Option<int> connectionClients = NumericOption.Integer("--connection-clients", "n", "Connection per request: h2load clients.", 50, 1, 10_000);
        var noTls = new Option<bool>("--no-tls") { Description = "Skip the connection-per-request phase over TLS." };
        var acceptOnOneLoop = new Option<bool>("--accept-on-one-loop") { Description = "Interlude accepts on its first loop only (default: on every loop)." };
        var variant = new Option<string?>("--variant")
        {
            Description = "Also measure Interlude with one setting changed, in the same h2load rounds (interleaved A/B): "
                + string.Join(", ", HttpBenchSettings.Variants) + ".",
        };
        variant.AcceptOnlyFromAmong([.. HttpBenchSettings.Variants]);
        var installH2load = new Option<bool>("--install-h2load") { Description = "Install h2load first if it is missing (runs scripts/install-h2load.sh)." };

        var command = new Command(
            "http",
            "Plaintext requests/s and latency under wrk (install: scripts/install-wrk.sh): one stock ASP.NET Core app in this process on "
            + "127.0.0.1, on Kestrel sockets and then on Interlude, same settings, same run; prints both and the ratio.")
        {
            threads, connections, duration, warmup, loops, wait, noPin, installWrk, json,
            openFraction, openSeconds, rounds, connectionRequests, connectionClients, noTls, acceptOnOneLoop, variant, installH2load,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new HttpBenchSettings(
                parseResult.GetValue(threads),
                parseResult.GetValue(connections),
                parseResult.GetValue(duration),
                parseResult.GetValue(warmup),
                parseResult.GetValue(loops),
                parseResult.GetValue(wait),
                !parseResult.GetValue(noPin))
            {
                OpenLoopFraction = parseResult.GetValue(openFraction),
                OpenLoopSeconds = parseResult.GetValue(openSeconds),
                Rounds = parseResult.GetValue(rounds),
                ConnectionRequests = parseResult.GetValue(connectionRequests),
                ConnectionClients = parseResult.GetValue(connectionClients),
                Tls = !parseResult.GetValue(noTls),
                AcceptOnEveryLoop = !parseResult.GetValue(acceptOnOneLoop),
                Variant = parseResult.GetValue(variant),
            },
            parseResult.GetValue(installWrk),
            parseResult.GetValue(installH2load),
            parseResult.GetValue(json),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(HttpBenchSettings settings, bool installWrk, bool installH2load, FileInfo? json, CancellationToken cancellationToken)
    {
        string? wrk = Wrk.Find();
        if (wrk is null && installWrk)
        {
            await Wrk.InstallAsync(cancellationToken).ConfigureAwait(false);
            wrk = Wrk.Find();
        }

        if (wrk is null)
        {
            await Console.Error.WriteLineAsync(Wrk.InstallHint).ConfigureAwait(false);
            return 2;
        }

        Console.WriteLine(
            $"interlude bench http: wrk -t {settings.Threads} -c {settings.Connections} -d {settings.Duration}s --latency, "
            + $"GET {PlaintextServer.Path} on 127.0.0.1, {Environment.ProcessorCount} cores");
        WrkResult sockets = await MeasureAsync("sockets", wrk, settings, interlude: false, cancellationToken).ConfigureAwait(false);
        WrkResult interludeResult = await MeasureAsync("interlude", wrk, settings, interlude: true, cancellationToken).ConfigureAwait(false);
        double ratio = interludeResult.RequestsPerSecond / sockets.RequestsPerSecond;

        Console.WriteLine();
        Console.WriteLine($"{"transport",-10} {"requests/s",12} {"requests",10} {"p50 us",9} {"p75 us",9} {"p90 us",9} {"p99 us",9} {"errors",7} {"non-2xx",8}");
        foreach (WrkResult r in new[] { sockets, interludeResult })
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{r.Transport,-10} {r.RequestsPerSecond,12:F0} {r.Requests,10} {r.LatencyP50Us,9:F0} {r.LatencyP75Us,9:F0} {r.LatencyP90Us,9:F0} {r.LatencyP99Us,9:F0} {r.SocketErrors,7} {r.Non2xx,8}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio interlude / sockets (requests/s): {ratio:F3}"));
        IReadOnlyList<HttpLoadResult> loads = await BenchHttpLoad.RunAsync(settings, sockets.RequestsPerSecond, installH2load, cancellationToken).ConfigureAwait(false);
        BenchHttpLoad.PrintTargets(ratio, loads);
        if (json is { } file)
        {
            HttpBench.WriteJson(file, settings, sockets, interludeResult, ratio, loads);
            Console.WriteLine($"JSON written to {file.FullName}");
        }

        return 0;
    }

    private static async Task<WrkResult> MeasureAsync(string name, string wrk, HttpBenchSettings settings, bool interlude, CancellationToken cancellationToken)
    {
        WrkResult result = await HttpBench.MeasureAsync(name, wrk, settings, interlude, cancellationToken).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {result.RequestsPerSecond:F0} requests/s"));
        return result;
    }
}
