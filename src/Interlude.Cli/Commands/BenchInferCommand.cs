using System.CommandLine;
using Interlude.Harness.Inference;
using Interlude.Harness.OpenLoop;

namespace Interlude.Cli.Commands;

/// <summary>
/// Declares <c>interlude bench infer</c>: all-MiniLM-L6-v2 sentence embeddings (<c>POST /embed</c>) and BlazeFace face
/// detection (<c>POST /detect</c>) over HTTP, under h2load (closed loop) and a Poisson open-loop client, for the
/// idiomatic ASP.NET Core + ONNX Runtime app and the inference server's modes.
/// </summary>
internal static class BenchInferCommand
{
    internal const string DefaultHtml = "interlude-infer.html";

    internal const string Notes = """
        Models (--model, both by default): embed, all-MiniLM-L6-v2 behind POST /embed ({"inputs": "text"}); detect,
        BlazeFace (front, 128x128) behind POST /detect (a 256x256 JPEG portrait; needs scripts/fetch-models.sh).
        Modes (all by default), each an in-process server of the model's endpoint on 127.0.0.1, HTTP/1.1:
          aspnet-ort          Kestrel sockets, a minimal-API handler running the model inline (InferenceSession.Run,
                              one shared session, IntraOpNumThreads 1, the same pre- and post-processing); the process
                              is not confined to any core
          blocking            Kestrel sockets, a handler submitting to the device (one thread on --device-core, batching
                              off) and blocking its thread until the embedding is back: a thread per request in flight
          busywait            as blocking, the handler's thread spinning on the result (yielding now and then) instead
          threadpool-async    Kestrel sockets, the InferenceServer sample's /embed awaiting the device (one thread on
                              --device-core), batching off; the ThreadPool is not confined
          interlude           the Interlude transport (one loop on --loop-core) and the device, batching off
          interlude-batching  as interlude, batching on (--max-batch, --max-queue-delay-us); embed only: BlazeFace's
                              batch is fixed at 1 image, so for detect it would run as interlude and is left out
        Closed loop: h2load --h1 -n REQUESTS -c CLIENTS -m 1 over kept-alive connections, per mode.
        Open loop: --open-fraction of interlude-batching's closed-loop requests/s (interlude's for detect), offered for
        --open-seconds by a client in a process of its own: Poisson arrivals (--arrivals constant: equal gaps), each
        request sent when due over a pool of up to --open-clients connections, its latency counted from when it was
        due. Each mode's server is started afresh per phase and warmed with --warmup requests (h2load).
        Measured per mode and phase: requests/s; p50/p99/p99.9 (h2load's per-request log); app CPU us per request (the
        process less the device thread, /proc); device busy (its time running batches over the wall time); the batch
        sizes (/v2/models/all-minilm-l6-v2/stats before and after).

        Examples:
          interlude bench infer --quick
          interlude bench infer --model embed --modes interlude,interlude-batching --max-queue-delay-us 500 --json infer.jsonl
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
        var models = new Option<string>("--model")
        {
            Description = "The model: embed (all-MiniLM-L6-v2, /embed), detect (BlazeFace, /detect) or all.",
            HelpName = "model",
            DefaultValueFactory = _ => "all",
        };
        models.AcceptOnlyFromAmong(InferModels.Embed, InferModels.Detect, "all");
        var arrivals = new Option<string>("--arrivals")
        {
            Description = "The open loop's arrivals: poisson (exponential gaps) or constant (equal gaps).",
            HelpName = "process",
            DefaultValueFactory = _ => "poisson",
        };
        arrivals.AcceptOnlyFromAmong("poisson", "constant");
        Option<int> seed = NumericOption.Integer("--seed", "n", "The seed of the open loop's Poisson schedule.", 1, int.MinValue, int.MaxValue);
        Option<int?> requests = NumericOption.OptionalInteger("--requests", "n", "Closed-loop requests per mode (h2load -n) [default: 3000; quick: 300].", 1, 10_000_000);
        Option<int> clients = NumericOption.Integer("--clients", "n", "Closed-loop connections, one request in flight each (h2load -c).", 32, 1, 10_000);
        Option<int?> warmup = NumericOption.OptionalInteger("--warmup", "n", "Requests per mode and phase before it is measured [default: 300; quick: 64].", 0, 1_000_000);
        Option<double?> openSeconds = NumericOption.OptionalReal("--open-seconds", "s", "Seconds of the open-loop phase; 0 leaves it out [default: 10; quick: 3].", 0, 3600);
        Option<double> openFraction = NumericOption.Real(
            "--open-fraction", "x", "The open-loop rate as a fraction of interlude-batching's closed-loop requests/s.", 0.5, 0, 10, minIsAllowed: false);
        Option<int> openClients = NumericOption.Integer("--open-clients", "n", "The open-loop client's most connections at once (a pool: no request waits for one unless all are busy).", 64, 1, 10_000);
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
            "Sentence embeddings (all-MiniLM-L6-v2, POST /embed) and face detection (BlazeFace, POST /detect) under h2load (closed loop, install: "
            + "scripts/install-h2load.sh) and a Poisson open loop: ASP.NET Core with ONNX Runtime inline, the inference device from the ThreadPool, "
            + "and from an Interlude loop with and without batching.")
        {
            models, modes, arrivals, seed, requests, clients, warmup, openSeconds, openFraction, openClients, maxBatch, queueDelay, loopCore, deviceCore, text, quick, install, json, html,
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
                Text: parseResult.GetValue(text) ?? InferBenchSettings.DefaultText)
            {
                Models = parseResult.GetValue(models) is InferModels.Embed or InferModels.Detect ? [parseResult.GetValue(models)!] : InferModels.All,
                Arrivals = parseResult.GetValue(arrivals) == "constant" ? ArrivalProcess.Constant : ArrivalProcess.Poisson,
                Seed = parseResult.GetValue(seed),
                LoadClient = BenchInferRun.LoadClientCommand(),
            };
            return BenchInferRun.RunAsync(
                settings, isQuick, parseResult.GetValue(install), parseResult.GetValue(json), parseResult.GetValue(html) ?? new FileInfo(DefaultHtml),
                string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), cancellationToken);
        });
        return command;
    }
}
