using System.Security.Cryptography.X509Certificates;
using Interlude.Harness.Measurement;
using Interlude.Harness.Tls;

namespace Interlude.Harness.Http;

/// <summary>
/// <c>interlude bench http</c>'s h2load phases: the plaintext app on one transport, driven by h2load at a fixed
/// offered rate over kept-alive connections, or with a new connection (plain or TLS) per request; the latency
/// percentiles come from h2load's per-request log.
/// </summary>
public static class HttpLoad
{
    /// <summary>Starts the app on one transport, warms it up, runs one phase with h2load, and stops it.</summary>
    /// <param name="transport">
    /// The transport's name in the result: "sockets", or "interlude" and any name starting with it (a variant of
    /// Interlude's settings, run in the same rounds for an A/B comparison).
    /// </param>
    /// <param name="h2load">The h2load executable.</param>
    /// <param name="settings">The bench's settings.</param>
    /// <param name="phase">What to run.</param>
    /// <param name="rate">Open loop: the offered requests/s.</param>
    /// <param name="certificate">The certificate of the TLS phase.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<HttpLoadResult> MeasureAsync(
        string transport, string h2load, HttpBenchSettings settings, HttpLoadPhase phase, double rate, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        bool tls = phase == HttpLoadPhase.ConnectionPerRequestTls;
        await using PlaintextServer server = await PlaintextServer.StartAsync(
            transport.StartsWith("interlude", StringComparison.Ordinal),
            options => HttpBench.Configure(options, settings),
            tls ? certificate ?? throw new ArgumentNullException(nameof(certificate)) : null).ConfigureAwait(false);
        string directory = Directory.CreateTempSubdirectory("interlude-http-").FullName;
        try
        {
            string log = Path.Combine(directory, "requests.log");
            bool open = phase == HttpLoadPhase.OpenLoop;
            int clients = open ? settings.Connections : settings.ConnectionClients;
            int requests = open ? Math.Max(clients, (int)Math.Round(rate * settings.OpenLoopSeconds)) : Math.Max(clients, settings.ConnectionRequests);

            // Warm-up: a tenth of the phase, so the JIT and the connection paths are hot.
            IReadOnlyList<string> warmup = H2load.GetArguments(server.Url, Math.Max(clients, requests / 10), clients, 1, !open, log);
            await H2load.RunAsync(h2load, warmup, cancellationToken).ConfigureAwait(false);
            File.Delete(log);

            IReadOnlyList<string> arguments = H2load.GetArguments(server.Url, requests, clients, 1, !open, log);
            if (open)
            {
                arguments = H2load.AtRate(arguments, clients, rate);
            }

            H2loadResult summary = H2loadOutput.Parse(await H2load.RunAsync(h2load, arguments, cancellationToken).ConfigureAwait(false));
            (LatencyHistogram latencies, long notOk) = H2loadLog.Parse(await File.ReadAllTextAsync(log, cancellationToken).ConfigureAwait(false));
            return new HttpLoadResult(
                transport,
                phase,
                open ? rate : double.NaN,
                summary.RequestsPerSecond,
                summary.Requests,
                summary.Failed + notOk,
                latencies.ValueAtQuantile(0.50) / 1000.0,
                latencies.ValueAtQuantile(0.99) / 1000.0,
                latencies.ValueAtQuantile(0.999) / 1000.0,
                summary.ConnectMeanUs);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
