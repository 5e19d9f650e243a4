using System.CommandLine;
using Interlude.Harness.Inference;

namespace Interlude.Cli.Commands;

/// <summary>
/// Declares <c>interlude bench infer</c>: all-MiniLM-L6-v2 sentence embeddings over HTTP (<c>POST /embed</c>) under
/// h2load, closed and open loop, for the idiomatic ASP.NET Core + ONNX Runtime app and the inference server's modes.
/// </summary>
internal static class BenchInferCommand
{
    internal const string DefaultHtml = "interlude-infer.html";

    internal const string Notes = """
        Modes (all by default), each an in-process server of POST /embed ({"inputs": "text"}) on 127.0.0.1, HTTP/1.1:
          aspnet-ort          Kestrel sockets, a minimal-API handler tokenizing and calling InferenceSession.Run inline
                              (one shared session, IntraOpNumThreads 1); the process is not confined to any core
          blocking            Kestrel sockets, a handler submitting to the device (one thread on --device-core, batching
                              off) and blocking its thread until the embedding is back: a thread per request in flight
          busywait            as blocking, the handler's thread spinning on the result (yielding now and then) instead
          threadpool-async    Kestrel sockets, the InferenceServer sample's /embed awaiting the device (one thread on
                              --device-core), batching off; the ThreadPool is not confined
          interlude           the Interlude transport (one loop on --loop-core) and the device, batching off
          interlude-batching  as interlude, batching on (--max-batch, --max-queue-delay-us)
        Load: h2load --h1 -c CLIENTS -m 1 -d body.json over kept-alive connections. Closed loop: REQUESTS per mode.
        Open loop: --open-fraction of interlude-batching's closed-loop requests/s, offered for --open-seconds over
        --open-clients connections (h2load --rps, per connection). Each mode's server is started afresh per phase and
        warmed with --warmup requests.
        Measured per mode and phase: requests/s; p50/p99/p99.9 (h2load's per-request log); app CPU us per request (the
        process less the device thread, /proc); device busy (its time running batches over the wall time); the batch
        sizes (/v2/models/all-minilm-l6-v2/stats before and after).

        Examples:
          interlude bench infer --quick
          interlude bench infer --modes interlude,interlude-batching --max-queue-delay-us 500 --json infer.jsonl
        """;

    internal static Command Create()
    {
        var modes = new Option<string[]>("--modes")
        {
            Description = $"Modes, comma-separated: {string.Join(", ", InferModes.All)} (default: all).",
            HelpName = "list",
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
        };
        modes.Validators.Add(r =>
        {
            foreach (string value in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!InferModes.All.Contains(value))
                {
                    r.AddError($"--modes: unknown value '{value}'; use {string.Join(", ", InferModes.All)}.");
                }
            }
        });
        Option<int?> requests = NumericOption.OptionalInteger("--requests", "n", "Closed-loop requests per mode (h2load -n) [default: 3000; quick: 300].", 1, 10_000_000);
        Option<int> clients = NumericOption.Integer("--clients", "n", "Closed-loop connections, one request in flight each (h2load -c).", 32, 1, 10_000);
        Option<int?> warmup = NumericOption.OptionalInteger("--warmup", "n", "Requests per mode and phase before it is measured [default: 300; quick: 64].", 0, 1_000_000);
        Option<double?> openSeconds = NumericOption.OptionalReal("--open-seconds", "s", "Seconds of the open-loop phase; 0 leaves it out [default: 10; quick: 3].", 0, 3600);
        Option<double> openFraction = NumericOption.Real(
            "--open-fraction", "x", "The open-loop rate as a fraction of interlude-batching's closed-loop requests/s.", 0.5, 0, 10, minIsAllowed: false);
        Option<int> openClients = NumericOption.Integer("--open-clients", "n", "Open-loop connections, sharing the rate.", 16, 1, 10_000);
        Option<int> maxBatch = NumericOption.Integer("--max-batch", "n", "interlude-batching's most requests per run.", 32, 1, 4096);
        Option<int> queueDelay = NumericOption.Integer("--max-queue-delay-us", "us", "interlude-batching's wait for others to batch with while the device is idle.", 0, 0, 10_000_000);
        Option<int> loopCore = NumericOption.Integer("--loop-core", "core", "The Interlude loop's core.", 0, 0, 1023);
        Option<int> deviceCore = NumericOption.Integer("--device-core", "core", "The device thread's core.", 1, 0, 1023);
        var text = new Option<string>("--text") { Description = "The text every request embeds.", DefaultValueFactory = _ => InferBenchSettings.DefaultText };
        var quick = new Option<bool>("--quick") { Description = "Few requests, short open loop: about a minute; figures are rough." };
        var install = new Option<bool>("--install-h2load") { Description = "Install h2load first if it is missing (runs scripts/install-h2load.sh)." };
        Option<FileInfo?> json = OutputFile.Create("--json", "Write one JSON object per mode and load phase (JSON Lines) to this file.");
        Option<FileInfo?> html = OutputFile.Create("--html", $"Write the HTML report here (default: {DefaultHtml}).");
        var command = new Command(
            "infer",
            "Sentence embeddings (all-MiniLM-L6-v2, POST /embed) under h2load, closed and open loop (install: scripts/install-h2load.sh): "
            + "ASP.NET Core with ONNX Runtime inline, the inference device from the ThreadPool, and from an Interlude loop with and without batching.")
        {
            modes, requests, clients, warmup, openSeconds, openFraction, openClients, maxBatch, queueDelay, loopCore, deviceCore, text, quick, install, json, html,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            bool isQuick = parseResult.GetValue(quick);
            var settings = new InferBenchSettings(
                Modes: parseResult.GetValue(modes) is { Length: > 0 } m ? m : InferModes.All,
                Requests: parseResult.GetValue(requests) ?? (isQuick ? 300 : 3000),
                Clients: parseResult.GetValue(clients),
                WarmupRequests: parseResult.GetValue(warmup) ?? (isQuick ? 64 : 300),
                OpenLoopSeconds: parseResult.GetValue(openSeconds) ?? (isQuick ? 3 : 10),
                OpenLoopFraction: parseResult.GetValue(openFraction),
                OpenLoopClients: parseResult.GetValue(openClients),
                MaxBatchSize: parseResult.GetValue(maxBatch),
                MaxQueueDelay: TimeSpan.FromMicroseconds(parseResult.GetValue(queueDelay)),
                LoopCore: parseResult.GetValue(loopCore),
                DeviceCore: parseResult.GetValue(deviceCore),
                Text: parseResult.GetValue(text) ?? InferBenchSettings.DefaultText);
            return BenchInferRun.RunAsync(
                settings, isQuick, parseResult.GetValue(install), parseResult.GetValue(json), parseResult.GetValue(html) ?? new FileInfo(DefaultHtml),
                string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), cancellationToken);
        });
        return command;
    }
}
