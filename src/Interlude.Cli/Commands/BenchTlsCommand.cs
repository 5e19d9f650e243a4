using System.CommandLine;
using System.Globalization;
using Interlude.Harness.Tls;

namespace Interlude.Cli.Commands;

/// <summary>
/// Declares <c>interlude bench tls</c>: full TLS handshakes per second, the application core's CPU per handshake, the
/// engine's use and the latency of keep-alive requests during a handshake storm, for each way of running handshakes.
/// </summary>
internal static class BenchTlsCommand
{
    internal const string DefaultHtml = "interlude-tls.html";

    internal const string Notes = """
        Modes (all by default), one in-process ASP.NET Core app with UseHttps and GET /hello, HTTP/1.1:
          kestrel-sockets  Kestrel's socket transport (one I/O queue; the ThreadPool is not confined to one core)
          software         Interlude, one loop on --loop-core, each handshake computed on the loop
          offload-sync     handshake steps on the engine (one thread on --engine-core); the loop's thread sleeps meanwhile
          offload-busy     as offload-sync, the loop's thread spinning instead
          offload-async    as offload-sync, the loop serving its other connections meanwhile
        Load: h2load --h1 -n HANDSHAKES -c CLIENTS -m 1 -H "Connection: close": one request per connection, so every
        request is a new connection and a full handshake (h2load never resumes; the server turns resumption off).
        h2load cannot choose the TLS version, so the server accepts only the configuration's.
        Measured per mode and configuration: handshakes/s (h2load); app CPU us per handshake (the process less the
        engine's and the in-process clients' threads, /proc, over the server's handshakes); engine busy (its
        threads' CPU over wall time); handshake p50/p99 (a sampler making a full handshake every --sample-interval-ms);
        keep-alive p50/p99 (--probe-connections persistent connections, one request each per --probe-interval-ms).
        Engine capacity: signatures/s through the engine with 64 in flight, and the BCL signing in a tight loop on one
        thread pinned to the engine's core.
        Gateway: the SecureGateway sample's endpoints on each mode's app (ECDSA P-256, TLS 1.3), h2load POSTing token
        requests over --gateway-clients kept-alive connections: tokens/s, p50/p99 (h2load's per-request log) and CPU
        per request; tokens are signed on the engine in the offload modes and inline with the BCL in the others.

        Examples:
          interlude bench tls --quick
          interlude bench tls --certs ecdsa-p256 --tls 1.3 --modes software,offload-async --json tls.jsonl
        """;

    internal static Command Create()
    {
        Option<string[]> modes = ListOption("--modes", "Modes, comma-separated", TlsModes.All);
        Option<string[]> certs = ListOption("--certs", "Certificates, comma-separated", TlsCertificates.All);
        Option<string[]> versions = ListOption("--tls", "TLS versions, comma-separated", TlsConfiguration.Versions);
        Option<int?> handshakes = NumericOption.OptionalInteger("--handshakes", "n", "Full handshakes per mode per round (h2load -n) [default: 2000; quick: 150].", 1, 10_000_000);
        Option<int?> clients = NumericOption.OptionalInteger("--clients", "n", "Connections h2load keeps in flight (h2load -c) [default: 32; quick: 8].", 1, 10_000);
        Option<int> h2loadThreads = NumericOption.Integer("--h2load-threads", "n", "h2load threads (h2load -t).", 1, 1, 64);
        Option<int?> rounds = NumericOption.OptionalInteger("--rounds", "n", "Rounds of every mode, interleaved [default: 2; quick: 1].", 1, 100);
        Option<int?> warmup = NumericOption.OptionalInteger("--warmup", "n", "Handshakes per mode before its first round, not measured [default: 200; quick: 20].", 0, 1_000_000);
        Option<int> probeConnections = NumericOption.Integer("--probe-connections", "n", "The keep-alive probe's persistent connections.", 4, 1, 256);
        Option<double> probeInterval = NumericOption.Real("--probe-interval-ms", "ms", "Interval between one probe connection's requests.", 5, 0, 10_000, minIsAllowed: false);
        Option<double> sampleInterval = NumericOption.Real("--sample-interval-ms", "ms", "Interval between the handshake sampler's handshakes.", 20, 0, 10_000, minIsAllowed: false);
        Option<double?> capacitySeconds = NumericOption.OptionalReal("--capacity-seconds", "s", "Seconds to measure the engine's and the BCL's signing rates [default: 2; quick: 0.3].", 0, 600, minIsAllowed: false);
        Option<int> loopCore = NumericOption.Integer("--loop-core", "core", "The Interlude loop's core.", 0, 0, 1023);
        Option<int> engineCore = NumericOption.Integer("--engine-core", "core", "The engine thread's core.", 1, 0, 1023);
        Option<int?> gatewayRequests = NumericOption.OptionalInteger(
            "--gateway-requests", "n", "Token requests per mode to the SecureGateway endpoints; 0 leaves them out [default: 3000; quick: 200].", 0, 10_000_000);
        Option<int> gatewayClients = NumericOption.Integer("--gateway-clients", "n", "Kept-alive connections for the token requests.", 16, 1, 10_000);
        var quick = new Option<bool>("--quick") { Description = "Few handshakes, one round: seconds per configuration; figures are rough." };
        var install = new Option<bool>("--install-h2load") { Description = "Install h2load first if it is missing (runs scripts/install-h2load.sh)." };
        Option<FileInfo?> json = OutputFile.Create("--json", "Write one JSON object per mode and configuration (JSON Lines) to this file.");
        Option<FileInfo?> html = OutputFile.Create("--html", $"Write the HTML report here (default: {DefaultHtml}).");
        var command = new Command(
            "tls",
            "Full TLS handshakes/s under h2load (install: scripts/install-h2load.sh), app-core CPU per handshake, engine use and "
            + "keep-alive latency during the storm: Kestrel sockets, Interlude with handshakes on the loop, and offloaded to an engine.")
        {
            modes, certs, versions, handshakes, clients, h2loadThreads, rounds, warmup, probeConnections, probeInterval, sampleInterval,
            capacitySeconds, loopCore, engineCore, gatewayRequests, gatewayClients, quick, install, json, html,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            bool isQuick = parseResult.GetValue(quick);
            var settings = new TlsBenchSettings(
                Modes: parseResult.GetValue(modes) is { Length: > 0 } m ? m : TlsModes.All,
                Configurations: TlsConfiguration.All(
                    parseResult.GetValue(certs) is { Length: > 0 } c ? c : TlsCertificates.All,
                    parseResult.GetValue(versions) is { Length: > 0 } v ? v : TlsConfiguration.Versions),
                Handshakes: parseResult.GetValue(handshakes) ?? (isQuick ? 150 : 2000),
                Clients: parseResult.GetValue(clients) ?? (isQuick ? 8 : 32),
                H2loadThreads: parseResult.GetValue(h2loadThreads),
                Rounds: parseResult.GetValue(rounds) ?? (isQuick ? 1 : 2),
                WarmupHandshakes: parseResult.GetValue(warmup) ?? (isQuick ? 20 : 200),
                ProbeConnections: parseResult.GetValue(probeConnections),
                ProbeInterval: TimeSpan.FromMilliseconds(parseResult.GetValue(probeInterval)),
                SampleInterval: TimeSpan.FromMilliseconds(parseResult.GetValue(sampleInterval)),
                CapacityDuration: TimeSpan.FromSeconds(parseResult.GetValue(capacitySeconds) ?? (isQuick ? 0.3 : 2)),
                LoopCore: parseResult.GetValue(loopCore),
                EngineCore: parseResult.GetValue(engineCore),
                GatewayRequests: parseResult.GetValue(gatewayRequests) ?? (isQuick ? 200 : 3000),
                GatewayClients: parseResult.GetValue(gatewayClients));
            return BenchTlsRun.RunAsync(
                settings, isQuick, parseResult.GetValue(install), parseResult.GetValue(json), parseResult.GetValue(html) ?? new FileInfo(DefaultHtml),
                string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), cancellationToken);
        });
        return command;
    }

    private static Option<string[]> ListOption(string name, string description, IReadOnlyList<string> allowed)
    {
        var option = new Option<string[]>(name)
        {
            Description = $"{description}: {string.Join(", ", allowed)} (default: all).",
            HelpName = "list",
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
        };
        option.Validators.Add(r =>
        {
            foreach (string value in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!allowed.Contains(value))
                {
                    r.AddError($"{name}: unknown value '{value}'; use {string.Join(", ", allowed)}.");
                }
            }
        });
        return option;
    }

    internal static string Format(double value, string format)
        => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";
}
