using System.Globalization;
using Interlude.Harness.Measurement;
using Interlude.Harness.Tls;

namespace Interlude.Harness.Db;

/// <summary>
/// Runs the database app on Kestrel sockets and on Interlude (and a variant) as child processes side by side, and
/// in each round measures every endpoint on each with h2load, the servers' order alternating from round to round.
/// </summary>
public static class DbBench
{
    /// <summary>The servers in round <paramref name="round"/> (from 1): odd rounds start with Kestrel sockets, even rounds end with it.</summary>
    public static IReadOnlyList<T> Order<T>(IReadOnlyList<T> servers, int round)
    {
        ArgumentNullException.ThrowIfNull(servers);
        return round % 2 == 1 ? servers : [.. servers.Reverse()];
    }

    /// <summary>The open loop's offered rate: <paramref name="fraction"/> of Kestrel's closed-loop rate, at least one request/s per connection's share.</summary>
    public static double OfferedRate(double kestrelRequestsPerSecond, double fraction)
        => Math.Max(1, Math.Round(kestrelRequestsPerSecond * fraction));

    /// <summary>Runs the bench; <paramref name="progress"/> gets a line per phase.</summary>
    /// <param name="settings">What to run.</param>
    /// <param name="serverCommand">The program and first arguments that start the app (the transport and the rest are added).</param>
    /// <param name="h2load">The h2load executable.</param>
    /// <param name="progress">Where each phase's line goes.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<IReadOnlyList<DbPhase>> RunAsync(
        DbBenchSettings settings, IReadOnlyList<string> serverCommand, string h2load, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        settings.Validate();
        var servers = new List<DbServer>();
        var phases = new List<DbPhase>();
        string logFile = Path.GetTempFileName();
        try
        {
            TimeSpan startTimeout = TimeSpan.FromSeconds(60);
            foreach (DbServerSpec spec in settings.Servers())
            {
                servers.Add(await DbServer.StartAsync(
                    spec.Name, serverCommand, spec.Transport, settings.ConnectionString, spec.Arguments, spec.Environment, startTimeout, cancellationToken).ConfigureAwait(false));
            }

            for (int round = 1; round <= settings.Rounds; round++)
            {
                foreach (DbEndpoint endpoint in settings.Endpoints)
                {
                    double kestrelRate = double.NaN;
                    foreach (DbServer server in Order(servers, round))
                    {
                        var url = new Uri(server.BaseAddress, endpoint.Path);
                        if (settings.WarmupRequests >= settings.Connections)
                        {
                            await H2load.RunAsync(h2load, H2load.GetArguments(url, settings.WarmupRequests, settings.Connections, settings.Threads, false, logFile), cancellationToken).ConfigureAwait(false);
                        }

                        DbPhase closed = await MeasureAsync(
                            server, endpoint, "closed", round, 0, h2load,
                            H2load.GetArguments(url, settings.Requests, settings.Connections, settings.Threads, false, logFile), logFile, cancellationToken).ConfigureAwait(false);
                        phases.Add(closed);
                        await progress.WriteLineAsync(Line(closed)).ConfigureAwait(false);
                        if (server.Name == DbBenchReport.Kestrel)
                        {
                            kestrelRate = closed.RequestsPerSecond;
                        }
                    }

                    if (settings.OpenLoopFraction <= 0 || double.IsNaN(kestrelRate))
                    {
                        continue;
                    }

                    double rate = OfferedRate(kestrelRate, settings.OpenLoopFraction);
                    int requests = (int)Math.Max(settings.Connections, Math.Round(rate * settings.OpenLoopSeconds));
                    foreach (DbServer server in Order(servers, round))
                    {
                        var url = new Uri(server.BaseAddress, endpoint.Path);
                        IReadOnlyList<string> arguments = H2load.AtRate(
                            H2load.GetArguments(url, requests, settings.Connections, settings.Threads, false, logFile), settings.Connections, rate);
                        DbPhase open = await MeasureAsync(server, endpoint, "open", round, rate, h2load, arguments, logFile, cancellationToken).ConfigureAwait(false);
                        phases.Add(open);
                        await progress.WriteLineAsync(Line(open)).ConfigureAwait(false);
                    }
                }
            }

            return phases;
        }
        finally
        {
            foreach (DbServer server in servers)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            File.Delete(logFile);
        }
    }

    private static async Task<DbPhase> MeasureAsync(
        DbServer server, DbEndpoint endpoint, string load, int round, double offered, string h2load, IReadOnlyList<string> arguments, string logFile, CancellationToken cancellationToken)
    {
        File.WriteAllText(logFile, string.Empty);
        ProcessUsage before = server.Usage();
        string output = await H2load.RunAsync(h2load, arguments, cancellationToken).ConfigureAwait(false);
        (double cpuSeconds, long switches) = ProcessUsage.Between(before, server.Usage());
        H2loadResult result = H2loadOutput.Parse(output);
        (LatencyHistogram latencies, long notOk) = H2loadLog.Parse(await File.ReadAllTextAsync(logFile, cancellationToken).ConfigureAwait(false));
        long ok = latencies.Count;
        double perRequest = Math.Max(1, ok);
        return new DbPhase(
            server.Name,
            endpoint.Name,
            load,
            round,
            offered,
            result.RequestsPerSecond,
            ok,
            notOk + result.Failed,
            latencies.ValueAtQuantile(0.5) / 1000.0,
            latencies.ValueAtQuantile(0.99) / 1000.0,
            cpuSeconds * 1e6 / perRequest,
            switches / perRequest);
    }

    private static string Line(DbPhase p) => string.Create(
        CultureInfo.InvariantCulture,
        $"  round {p.Round} {p.Endpoint,-10} {p.Load,-6} {p.Server,-17} {p.RequestsPerSecond,8:F0} req/s  p50 {p.P50Us,7:F0} us  p99 {p.P99Us,7:F0} us  cpu {p.CpuUsPerRequest,6:F1} us/req  csw {p.ContextSwitchesPerRequest,5:F2}/req{(p.Failed > 0 ? $"  failed {p.Failed}" : "")}");
}
