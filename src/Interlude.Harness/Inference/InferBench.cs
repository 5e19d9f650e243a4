using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Interlude.Harness.Measurement;
using Interlude.Harness.Tls;

namespace Interlude.Harness.Inference;

/// <summary>
/// <c>interlude bench infer</c>'s measurement: each mode's server started in turn, warmed, driven by h2load over
/// kept-alive HTTP/1.1 connections in a closed loop, then at a fixed offered rate (half interlude-batching's closed-loop
/// throughput by default) in an open loop, with the process's and the device's CPU and the batch sizes read around each.
/// </summary>
public static class InferBench
{
    /// <summary>Runs every mode; <paramref name="log"/> hears a line per step.</summary>
    public static async Task<IReadOnlyList<InferModeResult>> RunAsync(string h2load, InferBenchSettings settings, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        string directory = Directory.CreateTempSubdirectory("interlude-infer-").FullName;
        try
        {
            string body = Path.Combine(directory, "embed-request.json");
            await File.WriteAllTextAsync(body, JsonSerializer.Serialize(new { inputs = settings.Text }), cancellationToken).ConfigureAwait(false);
            var closed = new Dictionary<string, InferLoadResult>();
            var failures = new Dictionary<string, string>();
            using var http = new HttpClient();

            log($"closed loop ({settings.Requests} requests over {settings.Clients} kept-alive connections):");
            foreach (string mode in settings.Modes)
            {
                try
                {
                    await using InferServer server = await InferServer.StartAsync(mode, settings, cancellationToken).ConfigureAwait(false);
                    int clients = Math.Min(settings.Clients, settings.Requests);
                    if (settings.WarmupRequests > 0)
                    {
                        await MeasureAsync(h2load, server, http, Math.Max(settings.WarmupRequests, clients), clients, null, body, directory, "warmup", cancellationToken).ConfigureAwait(false);
                    }

                    InferLoadResult result = await MeasureAsync(h2load, server, http, settings.Requests, clients, null, body, directory, "closed", cancellationToken).ConfigureAwait(false);
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
            double reference = closed.TryGetValue(InferModes.InterludeBatching, out InferLoadResult? batching)
                ? batching.RequestsPerSecond
                : closed.Values.Select(r => r.RequestsPerSecond).DefaultIfEmpty(double.NaN).Max();
            double rate = reference * settings.OpenLoopFraction;
            if (settings.OpenLoopSeconds > 0 && double.IsFinite(rate) && rate > 0)
            {
                int clients = settings.OpenLoopClients;
                int requests = Math.Max(clients, (int)Math.Round(rate * settings.OpenLoopSeconds));
                log(string.Create(CultureInfo.InvariantCulture, $"open loop ({rate:F0} requests/s offered over {clients} connections, {requests} requests):"));
                foreach (string mode in settings.Modes.Where(m => !failures.ContainsKey(m)))
                {
                    try
                    {
                        await using InferServer server = await InferServer.StartAsync(mode, settings, cancellationToken).ConfigureAwait(false);
                        if (settings.WarmupRequests > 0)
                        {
                            int warmupClients = Math.Min(settings.Clients, settings.WarmupRequests);
                            await MeasureAsync(h2load, server, http, Math.Max(settings.WarmupRequests, warmupClients), warmupClients, null, body, directory, "open-warmup", cancellationToken).ConfigureAwait(false);
                        }

                        InferLoadResult result = await MeasureAsync(h2load, server, http, requests, clients, rate, body, directory, "open", cancellationToken).ConfigureAwait(false);
                        open[mode] = result;
                        log($"  {mode}: {result.RequestsPerSecond:F0} requests/s, p50 {result.P50Us / 1000:F2} ms, p99 {result.P99Us / 1000:F1} ms, {result.Failed} failed");
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        log($"  {mode}: open loop not measured ({Describe(ex)})");
                    }
                }
            }

            return settings.Modes
                .Select(mode => failures.TryGetValue(mode, out string? error)
                    ? InferModeResult.Failure(mode, error)
                    : new InferModeResult(mode, null, closed.GetValueOrDefault(mode), open.GetValueOrDefault(mode)))
                .ToList();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// h2load's arguments for the open loop: those of the closed loop with <c>--rps</c>, each connection offered its
    /// share of <paramref name="rate"/>. The connections are opened one per 1/<paramref name="rate"/> (<c>-r 1
    /// --rate-period</c>, whole milliseconds), and each paces its requests from its own start, so the requests are
    /// spread evenly rather than sent by every connection at once.
    /// </summary>
    public static IReadOnlyList<string> OpenLoopArguments(Uri url, int requests, int clients, double rate, string bodyFile, string logFile)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        IReadOnlyList<string> closed = H2load.KeepAliveArguments(url, requests, clients, 1, bodyFile, logFile);
        string perClient = (rate / clients).ToString("0.###", CultureInfo.InvariantCulture);
        long stagger = Math.Max(1, (long)Math.Round(1000 / rate));
        return [.. closed.Take(closed.Count - 1), "--rps", perClient, "-r", "1", "--rate-period", $"{stagger.ToString(CultureInfo.InvariantCulture)}ms", closed[^1]];
    }

    private static async Task<InferLoadResult> MeasureAsync(
        string h2load, InferServer server, HttpClient http, int requests, int clients, double? rate, string body, string directory, string phase, CancellationToken cancellationToken)
    {
        var url = new Uri(server.BaseAddress, "embed");
        string logFile = Path.Combine(directory, $"{server.Mode}-{phase}.log");
        File.Delete(logFile);
        IReadOnlyList<string> arguments = rate is { } r
            ? OpenLoopArguments(url, requests, clients, r, body, logFile)
            : H2load.KeepAliveArguments(url, requests, clients, 1, body, logFile);

        IReadOnlyList<long> batchesBefore = await ReadBatchSizesAsync(server, http, cancellationToken).ConfigureAwait(false);
        var device = new ThreadGroupUsage(server.DeviceThreads);
        TimeSpan busyBefore = server.DeviceBusy;
        ResourceUsage processBefore = ResourceUsage.ReadProcess();
        TimeSpan deviceBefore = device.ReadCpu();
        long start = Stopwatch.GetTimestamp();

        string output = await H2load.RunAsync(h2load, arguments, cancellationToken).ConfigureAwait(false);

        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        TimeSpan deviceCpu = device.ReadCpu() - deviceBefore;
        TimeSpan processCpu = (ResourceUsage.ReadProcess() - processBefore).CpuTime;
        TimeSpan busy = server.DeviceBusy - busyBefore;
        IReadOnlyList<long> batchesAfter = await ReadBatchSizesAsync(server, http, cancellationToken).ConfigureAwait(false);

        H2loadResult summary = H2loadOutput.Parse(output);
        (LatencyHistogram latencies, long notOk) = H2loadLog.Parse(await File.ReadAllTextAsync(logFile, cancellationToken).ConfigureAwait(false));
        bool hasDevice = server.Device is not null;
        return InferLoadResult.From(
            summary, latencies, notOk, wall, processCpu, hasDevice ? deviceCpu : null, hasDevice ? busy : null, batchesBefore, batchesAfter, rate);
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
}
