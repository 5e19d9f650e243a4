using System.Diagnostics;
using System.Globalization;
using Interlude.Harness.Measurement;
using Interlude.Harness.OpenLoop;
using Interlude.Harness.Tls;

namespace Interlude.Harness.Inference;

/// <summary>
/// <c>interlude bench infer</c>'s measurement, model by model: each mode's server started in turn, warmed, driven by
/// h2load over kept-alive HTTP/1.1 connections in a closed loop, then by the open-loop client (Poisson arrivals by
/// default, in a process of its own) at a fixed mean rate (half the batching mode's closed-loop throughput by default),
/// with the process's and the device's CPU and the batch sizes read around each.
/// </summary>
public static class InferBench
{
    /// <summary>Runs every model's modes; <paramref name="log"/> hears a line per step.</summary>
    public static async Task<IReadOnlyList<InferModeResult>> RunAsync(string h2load, InferBenchSettings settings, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        string directory = Directory.CreateTempSubdirectory("interlude-infer-").FullName;
        try
        {
            using var http = new HttpClient();
            var results = new List<InferModeResult>();
            foreach (string model in settings.Models)
            {
                results.AddRange(await RunModelAsync(h2load, model, settings, http, directory, log, cancellationToken).ConfigureAwait(false));
            }

            return results;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The open loop's mean rate: <paramref name="fraction"/> of the batching mode's closed-loop requests/s, or of
    /// interlude's where batching did not run (the face model), or of the fastest mode's; NaN without any.
    /// </summary>
    public static double OpenLoopRate(IReadOnlyDictionary<string, InferLoadResult> closed, double fraction)
    {
        ArgumentNullException.ThrowIfNull(closed);
        double reference = closed.TryGetValue(InferModes.InterludeBatching, out InferLoadResult? batching) ? batching.RequestsPerSecond
            : closed.TryGetValue(InferModes.Interlude, out InferLoadResult? interlude) ? interlude.RequestsPerSecond
            : closed.Values.Select(r => r.RequestsPerSecond).DefaultIfEmpty(double.NaN).Max();
        return reference * fraction;
    }

    private static async Task<IReadOnlyList<InferModeResult>> RunModelAsync(
        string h2load, string model, InferBenchSettings settings, HttpClient http, string directory, Action<string> log, CancellationToken cancellationToken)
    {
        (byte[] bytes, string contentType) = InferModels.Request(model, settings.Text);
        string body = Path.Combine(directory, $"{model}-request.body");
        await File.WriteAllBytesAsync(body, bytes, cancellationToken).ConfigureAwait(false);
        var request = new RequestBody(body, bytes, contentType);
        var closed = new Dictionary<string, InferLoadResult>();
        var failures = new Dictionary<string, string>();
        var modes = new List<string>();
        string name = InferModels.DisplayName(model);
        foreach (string mode in settings.Modes)
        {
            if (InferModels.SkipReason(model, mode) is { } reason)
            {
                log($"{name}: {mode} left out ({reason})");
            }
            else
            {
                modes.Add(mode);
            }
        }

        log($"{name}, POST /{InferModels.Path(model)}: closed loop ({settings.Requests} requests over {settings.Clients} kept-alive connections):");
        foreach (string mode in modes)
        {
            try
            {
                await using InferServer server = await InferServer.StartAsync(mode, model, settings, cancellationToken).ConfigureAwait(false);
                int clients = Math.Min(settings.Clients, settings.Requests);
                if (settings.WarmupRequests > 0)
                {
                    await MeasureClosedAsync(h2load, server, http, Math.Max(settings.WarmupRequests, clients), clients, request, directory, "warmup", cancellationToken).ConfigureAwait(false);
                }

                InferLoadResult result = await MeasureClosedAsync(h2load, server, http, settings.Requests, clients, request, directory, "closed", cancellationToken).ConfigureAwait(false);
                closed[mode] = result;
                log($"  {mode}: {result.RequestsPerSecond:F0} requests/s, p99 {result.P99Us / 1000:F1} ms, {result.Failed} failed");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures[mode] = Describe(ex);
                log($"  {mode}: not measured ({failures[mode]})");
            }
        }

        var open = new Dictionary<string, InferLoadResult>();
        double rate = OpenLoopRate(closed, settings.OpenLoopFraction);
        if (settings.OpenLoopSeconds > 0 && settings.LoadClient is null)
        {
            log("open loop left out: no open-loop client command was given");
        }
        else if (settings.OpenLoopSeconds > 0 && double.IsFinite(rate) && rate > 0)
        {
            int clients = settings.OpenLoopClients;
            int requests = Math.Max(1, (int)Math.Round(rate * settings.OpenLoopSeconds));
            string arrivals = settings.Arrivals == ArrivalProcess.Poisson ? "Poisson arrivals" : "constant gaps";
            log(string.Create(CultureInfo.InvariantCulture, $"{name}: open loop ({rate:F0} requests/s offered, {arrivals}, up to {clients} connections, {requests} requests):"));
            foreach (string mode in modes.Where(m => !failures.ContainsKey(m)))
            {
                try
                {
                    await using InferServer server = await InferServer.StartAsync(mode, model, settings, cancellationToken).ConfigureAwait(false);
                    if (settings.WarmupRequests > 0)
                    {
                        int warmupClients = Math.Min(settings.Clients, settings.WarmupRequests);
                        await MeasureClosedAsync(h2load, server, http, Math.Max(settings.WarmupRequests, warmupClients), warmupClients, request, directory, "open-warmup", cancellationToken).ConfigureAwait(false);
                    }

                    var client = new OpenLoopClientSettings(server.EndpointUrl, bytes, contentType, rate, requests, clients, settings.Arrivals, settings.Seed);
                    InferLoadResult result = await MeasureOpenAsync(settings.LoadClient!, server, http, client, request, directory, cancellationToken).ConfigureAwait(false);
                    open[mode] = result;
                    log($"  {mode}: {result.RequestsPerSecond:F0} requests/s, p50 {result.P50Us / 1000:F2} ms, p99 {result.P99Us / 1000:F1} ms, {result.Failed} failed");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log($"  {mode}: open loop not measured ({Describe(ex)})");
                }
            }
        }

        var results = new List<InferModeResult>();
        foreach (string mode in modes)
        {
            InferModeResult result = failures.TryGetValue(mode, out string? error)
                ? InferModeResult.Failure(mode, error)
                : new InferModeResult(mode, null, closed.GetValueOrDefault(mode), open.GetValueOrDefault(mode));
            results.Add(result with { Model = model });
        }

        return results;
    }

    private static async Task<InferLoadResult> MeasureClosedAsync(
        string h2load, InferServer server, HttpClient http, int requests, int clients, RequestBody request, string directory, string phase, CancellationToken cancellationToken)
    {
        string logFile = Path.Combine(directory, $"{server.Model}-{server.Mode}-{phase}.log");
        File.Delete(logFile);
        IReadOnlyList<string> arguments = H2load.KeepAliveArguments(server.EndpointUrl, requests, clients, 1, request.File, logFile, request.ContentType);
        return await MeasureAsync(server, http, logFile, null, async () =>
        {
            string output = await H2load.RunAsync(h2load, arguments, cancellationToken).ConfigureAwait(false);
            H2loadResult summary = H2loadOutput.Parse(output);
            return (summary.Requests, summary.FinishedSeconds);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<InferLoadResult> MeasureOpenAsync(
        IReadOnlyList<string> loadClient, InferServer server, HttpClient http, OpenLoopClientSettings client, RequestBody request, string directory, CancellationToken cancellationToken)
    {
        string logFile = Path.Combine(directory, $"{server.Model}-{server.Mode}-open.log");
        File.Delete(logFile);
        return await MeasureAsync(server, http, logFile, client.Rate, async () =>
        {
            double finished = await OpenLoopProcess.RunAsync(loadClient, client, request.File, logFile, cancellationToken).ConfigureAwait(false);
            return ((long)client.Requests, finished);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="drive"/> (the client, in a process of its own) with the server's CPU, device and batch sizes read around it.</summary>
    private static async Task<InferLoadResult> MeasureAsync(
        InferServer server, HttpClient http, string logFile, double? rate, Func<Task<(long Requests, double FinishedSeconds)>> drive, CancellationToken cancellationToken)
    {
        IReadOnlyList<long> batchesBefore = await ReadBatchSizesAsync(server, http, cancellationToken).ConfigureAwait(false);
        var device = new ThreadGroupUsage(server.DeviceThreads);
        TimeSpan busyBefore = server.DeviceBusy;
        ResourceUsage processBefore = ResourceUsage.ReadProcess();
        TimeSpan deviceBefore = device.ReadCpu();
        long start = Stopwatch.GetTimestamp();

        (long requests, double finished) = await drive().ConfigureAwait(false);

        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        TimeSpan deviceCpu = device.ReadCpu() - deviceBefore;
        TimeSpan processCpu = (ResourceUsage.ReadProcess() - processBefore).CpuTime;
        TimeSpan busy = server.DeviceBusy - busyBefore;
        IReadOnlyList<long> batchesAfter = await ReadBatchSizesAsync(server, http, cancellationToken).ConfigureAwait(false);

        (LatencyHistogram latencies, long notOk) = H2loadLog.Parse(await File.ReadAllTextAsync(logFile, cancellationToken).ConfigureAwait(false));
        bool hasDevice = server.Device is not null;
        return InferLoadResult.From(
            requests, finished, latencies, notOk, wall, processCpu, hasDevice ? deviceCpu : null, hasDevice ? busy : null, batchesBefore, batchesAfter, rate);
    }

    private static async Task<IReadOnlyList<long>> ReadBatchSizesAsync(InferServer server, HttpClient http, CancellationToken cancellationToken)
        => server.StatisticsUrl is { } url
            ? ModelStatsJson.ParseBatchSizes(await http.GetStringAsync(url, cancellationToken).ConfigureAwait(false))
            : [];

    private static string Describe(Exception ex)
    {
        Exception inner = ex is AggregateException { InnerException: { } first } ? first : ex;
        string message = inner.Message.ReplaceLineEndings(" ");
        return $"{inner.GetType().Name}: {(message.Length > 200 ? message[..200] + "…" : message)}";
    }

    /// <summary>A model's request body: the file h2load and the open-loop client send, its bytes and its media type.</summary>
    private sealed record RequestBody(string File, byte[] Bytes, string ContentType);
}
