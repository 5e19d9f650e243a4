using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Tls;

/// <summary>
/// <c>interlude bench tls</c>'s measurement: for each configuration, the engine's standalone capacity, then every
/// mode's server started side by side and stormed with full handshakes by h2load, the modes interleaved round by
/// round, while the keep-alive probe and the handshake sampler time requests and handshakes from this process.
/// </summary>
public static class TlsBench
{
    /// <summary>Runs every configuration; <paramref name="log"/> hears a line per step.</summary>
    public static async Task<IReadOnlyList<TlsConfigurationResult>> RunAsync(
        string h2load, TlsBenchSettings settings, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var certificates = new Dictionary<string, X509Certificate2>();
        var results = new List<TlsConfigurationResult>();
        try
        {
            foreach (TlsConfiguration configuration in settings.Configurations)
            {
                if (!certificates.TryGetValue(configuration.Certificate, out X509Certificate2? certificate))
                {
                    certificate = TlsCertificates.Create(configuration.Certificate);
                    certificates.Add(configuration.Certificate, certificate);
                }

                results.Add(await RunConfigurationAsync(h2load, settings, configuration, certificate, log, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            foreach (X509Certificate2 certificate in certificates.Values)
            {
                certificate.Dispose();
            }
        }

        return results;
    }

    private static async Task<TlsConfigurationResult> RunConfigurationAsync(
        string h2load, TlsBenchSettings settings, TlsConfiguration configuration, X509Certificate2 certificate, Action<string> log, CancellationToken cancellationToken)
    {
        log($"{configuration.Name}:");
        EngineCapacityResult? capacity = null;
        string? capacityError = null;
        try
        {
            capacity = await EngineCapacity.MeasureAsync(certificate, settings.EngineCore, settings.CapacityDuration, cancellationToken).ConfigureAwait(false);
            capacityError = capacity.EngineError;
            string engine = capacityError is null ? $"{capacity.SignaturesPerSecond:F0} signatures/s" : $"not measured ({capacityError})";
            log($"  engine capacity: {engine}; the BCL alone on core {settings.EngineCore}: {capacity.BclSignaturesPerSecond:F0} signatures/s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            capacityError = Describe(ex);
            log($"  engine capacity: not measured ({capacityError})");
        }

        var servers = new Dictionary<string, TlsServer>();
        var failures = new Dictionary<string, string>();
        var rounds = settings.Modes.ToDictionary(m => m, _ => new List<TlsRound>());
        try
        {
            foreach (string mode in settings.Modes)
            {
                try
                {
                    TlsServer server = await TlsServer.StartAsync(mode, configuration, certificate, settings.LoopCore, settings.EngineCore).ConfigureAwait(false);
                    servers.Add(mode, server);
                    if (settings.WarmupHandshakes > 0)
                    {
                        int clients = Math.Min(settings.Clients, settings.WarmupHandshakes);
                        H2loadOutput.Parse(await H2load.RunAsync(
                            h2load, H2load.Arguments(server.Url, settings.WarmupHandshakes, clients, settings.H2loadThreads), cancellationToken).ConfigureAwait(false));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failures[mode] = Describe(ex);
                    log($"  {mode}: not measured ({failures[mode]})");
                }
            }

            for (int round = 0; round < settings.Rounds; round++)
            {
                // Each round starts one mode further on, so no mode always runs first or last.
                for (int i = 0; i < settings.Modes.Count; i++)
                {
                    string mode = settings.Modes[(i + round) % settings.Modes.Count];
                    if (failures.ContainsKey(mode) || !servers.TryGetValue(mode, out TlsServer? server))
                    {
                        continue;
                    }

                    try
                    {
                        TlsRound measured = await MeasureRoundAsync(h2load, settings, server, cancellationToken).ConfigureAwait(false);
                        rounds[mode].Add(measured);
                        log($"  {mode}, round {round + 1}: {measured.H2load.RequestsPerSecond:F0} handshakes/s, {measured.H2load.Failed} failed");
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        failures[mode] = Describe(ex);
                        log($"  {mode}: failed ({failures[mode]})");
                    }
                }
            }
        }
        finally
        {
            foreach (TlsServer server in servers.Values)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }

        List<TlsModeResult> results = settings.Modes
            .Select(mode => failures.TryGetValue(mode, out string? error)
                ? TlsModeResult.Failure(mode, configuration, error)
                : TlsModeResult.From(mode, configuration, rounds[mode], TlsModes.OffloadModeOf(mode) is not null))
            .ToList();
        return new TlsConfigurationResult(configuration, capacity, capacityError, results);
    }

    private static async Task<TlsRound> MeasureRoundAsync(string h2load, TlsBenchSettings settings, TlsServer server, CancellationToken cancellationToken)
    {
        using KeepAliveProbe probe = KeepAliveProbe.Start(server.Url, settings.ProbeConnections, settings.ProbeInterval);
        using HandshakeSampler sampler = HandshakeSampler.Start(server.Url, settings.SampleInterval);
        var engine = new ThreadGroupUsage(server.EngineThreads);
        var clients = new ThreadGroupUsage(probe.ThreadIds.Append(sampler.ThreadId));
        IReadOnlyList<string> arguments = H2load.Arguments(server.Url, settings.Handshakes, settings.Clients, settings.H2loadThreads);

        probe.BeginRecording();
        sampler.BeginRecording();
        long handshakesBefore = server.Handshakes;
        ResourceUsage processBefore = ResourceUsage.ReadProcess();
        TimeSpan engineBefore = engine.ReadCpu();
        TimeSpan clientsBefore = clients.ReadCpu();
        long start = Stopwatch.GetTimestamp();

        (string output, TimeSpan? h2loadCpu) = await H2load.RunMeasuredAsync(h2load, arguments, cancellationToken).ConfigureAwait(false);

        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        TimeSpan clientsCpu = clients.ReadCpu() - clientsBefore;
        TimeSpan engineCpu = engine.ReadCpu() - engineBefore;
        ResourceUsage processUsage = ResourceUsage.ReadProcess() - processBefore;
        long handshakes = server.Handshakes - handshakesBefore;
        (LatencyHistogram probeLatencies, long probeErrors) = probe.Stop();
        (LatencyHistogram handshakeLatencies, long handshakeErrors) = sampler.Stop();
        return new TlsRound(
            H2loadOutput.Parse(output),
            wall,
            handshakes,
            processUsage.CpuTime,
            engineCpu,
            clientsCpu,
            probeLatencies,
            probeErrors,
            handshakeLatencies,
            handshakeErrors,
            h2loadCpu);
    }

    private static string Describe(Exception ex)
    {
        Exception inner = ex is AggregateException { InnerException: { } first } ? first : ex;
        string message = inner.Message.ReplaceLineEndings(" ");
        return $"{inner.GetType().Name}: {(message.Length > 200 ? message[..200] + "…" : message)}";
    }
}
