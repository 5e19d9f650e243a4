using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Interlude.Harness.Measurement;
using SecureGateway;

namespace Interlude.Harness.Tls;

/// <summary>
/// The SecureGateway sample's endpoints under each mode: h2load POSTs token requests over kept-alive HTTPS
/// connections (ECDSA P-256 certificate, TLS 1.3) to the gateway's endpoints mapped onto the mode's app. In the
/// offload modes the tokens are signed on the engine, which also takes the handshakes; elsewhere inline with the BCL.
/// </summary>
public static class GatewayBench
{
    /// <summary>The token request each POST sends.</summary>
    public const string TokenRequest = """{"sub":"bench","scope":"read write","ttlSeconds":600}""";

    /// <summary>Runs every mode in turn; <paramref name="log"/> hears a line per mode.</summary>
    public static async Task<IReadOnlyList<GatewayResult>> RunAsync(string h2load, TlsBenchSettings settings, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        string directory = Directory.CreateTempSubdirectory("interlude-tls-gateway-").FullName;
        try
        {
            string body = Path.Combine(directory, "token-request.json");
            await File.WriteAllTextAsync(body, TokenRequest, cancellationToken).ConfigureAwait(false);
            using X509Certificate2 certificate = TlsCertificates.Create(TlsCertificates.EcdsaP256);
            using GatewayKeys keys = GatewayKeys.Generate();
            var configuration = new TlsConfiguration(TlsCertificates.EcdsaP256, "1.3");
            log($"gateway (POST /tokens, {settings.GatewayRequests} requests over {settings.GatewayClients} kept-alive connections):");
            var results = new List<GatewayResult>();
            foreach (string mode in settings.Modes)
            {
                GatewayResult result;
                try
                {
                    result = await MeasureAsync(h2load, settings, mode, configuration, certificate, keys, body, directory, cancellationToken).ConfigureAwait(false);
                    log($"  {mode}: {result.TokensPerSecond:F0} tokens/s, {result.Failed} failed");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    result = GatewayResult.Failure(mode, $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
                    log($"  {mode}: not measured ({result.Error})");
                }

                results.Add(result);
            }

            return results;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<GatewayResult> MeasureAsync(
        string h2load, TlsBenchSettings settings, string mode, TlsConfiguration configuration, X509Certificate2 certificate, GatewayKeys keys,
        string body, string directory, CancellationToken cancellationToken)
    {
        await using TlsServer server = await TlsServer.StartAsync(mode, configuration, certificate, settings.LoopCore, settings.EngineCore, keys).ConfigureAwait(false);
        var url = new Uri(server.Url, "tokens");
        // h2load appends to its log file: the warm-up gets a file of its own.
        string warmupLog = Path.Combine(directory, $"{mode}-warmup.log");
        string logFile = Path.Combine(directory, $"{mode}.log");
        File.Delete(warmupLog);
        File.Delete(logFile);
        int clients = Math.Min(settings.GatewayClients, settings.GatewayRequests);
        int warmup = Math.Max(clients, settings.GatewayRequests / 10);
        await H2load.RunAsync(h2load, H2load.KeepAliveArguments(url, warmup, clients, settings.H2loadThreads, body, warmupLog), cancellationToken).ConfigureAwait(false);

        var engine = new ThreadGroupUsage(server.EngineThreads);
        ResourceUsage processBefore = ResourceUsage.ReadProcess();
        TimeSpan engineBefore = engine.ReadCpu();
        long start = Stopwatch.GetTimestamp();
        string output = await H2load.RunAsync(
            h2load, H2load.KeepAliveArguments(url, settings.GatewayRequests, clients, settings.H2loadThreads, body, logFile), cancellationToken).ConfigureAwait(false);
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        TimeSpan engineCpu = engine.ReadCpu() - engineBefore;
        TimeSpan processCpu = (ResourceUsage.ReadProcess() - processBefore).CpuTime;

        H2loadResult summary = H2loadOutput.Parse(output);
        (LatencyHistogram latencies, long notOk) = H2loadLog.Parse(await File.ReadAllTextAsync(logFile, cancellationToken).ConfigureAwait(false));
        return From(mode, summary, latencies, notOk, wall, processCpu, engineCpu, hasEngine: server.Engine is not null);
    }

    /// <summary>One mode's figures from h2load's summary and log and the CPU times read around the run.</summary>
    public static GatewayResult From(
        string mode, H2loadResult summary, LatencyHistogram latencies, long notOk, double wallSeconds, TimeSpan processCpu, TimeSpan engineCpu, bool hasEngine)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(latencies);
        long ok = latencies.Count;
        return new GatewayResult
        {
            Mode = mode,
            Requests = summary.Requests,
            Succeeded = ok,
            Failed = summary.Requests - ok,
            TokensPerSecond = summary.FinishedSeconds > 0 ? ok / summary.FinishedSeconds : double.NaN,
            P50Us = ok == 0 ? double.NaN : latencies.ValueAtQuantile(0.50) / 1000.0,
            P99Us = ok == 0 ? double.NaN : latencies.ValueAtQuantile(0.99) / 1000.0,
            AppCpuUsPerRequest = ResourceUsage.IsAvailable && ok + notOk > 0 ? (processCpu - engineCpu).TotalMicroseconds / (ok + notOk) : double.NaN,
            EngineUtilization = hasEngine && wallSeconds > 0 ? engineCpu.TotalSeconds / wallSeconds : null,
        };
    }
}
