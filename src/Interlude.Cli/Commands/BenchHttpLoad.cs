using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Interlude.Harness.Http;
using Interlude.Harness.Tls;

namespace Interlude.Cli.Commands;

/// <summary>
/// <c>interlude bench http</c>'s h2load phases and targets: the open loop at one offered rate for both transports,
/// and a new connection per request (plain, then TLS), each phase in rounds that alternate the transports.
/// </summary>
internal static class BenchHttpLoad
{
    /// <summary>Runs the phases the settings ask for; none when h2load is missing (a hint says how to install it).</summary>
    internal static async Task<IReadOnlyList<HttpLoadResult>> RunAsync(
        HttpBenchSettings settings, double socketsClosedLoopRate, bool installH2load, CancellationToken cancellationToken)
    {
        string? h2load = await H2load.FindOrInstallAsync(installH2load, cancellationToken, "The h2load phases are skipped.").ConfigureAwait(false);
        if (h2load is null)
        {
            return [];
        }

        var results = new List<HttpLoadResult>();
        double rate = Math.Round(socketsClosedLoopRate * settings.OpenLoopFraction);
        if (rate > 0)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"open loop: h2load --rps, {rate:F0} requests/s offered ({settings.OpenLoopFraction:F2} x sockets' closed loop) over {settings.Connections} kept-alive connections, {settings.OpenLoopSeconds}s, {settings.Rounds} rounds"));
            await RoundsAsync(h2load, settings, HttpLoadPhase.OpenLoop, rate, null, results, cancellationToken).ConfigureAwait(false);
        }

        if (settings.ConnectionRequests > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"connection per request: h2load -n {settings.ConnectionRequests} -c {settings.ConnectionClients} -H 'Connection: close', {settings.Rounds} rounds");
            await RoundsAsync(h2load, settings, HttpLoadPhase.ConnectionPerRequest, 0, null, results, cancellationToken).ConfigureAwait(false);
            if (settings.Tls)
            {
                Console.WriteLine($"connection per request over TLS (ECDSA P-256, a full handshake each): same h2load settings, {settings.Rounds} rounds");
                using X509Certificate2 certificate = TlsCertificates.Create(TlsCertificates.EcdsaP256);
                await RoundsAsync(h2load, settings, HttpLoadPhase.ConnectionPerRequestTls, 0, certificate, results, cancellationToken).ConfigureAwait(false);
            }
        }

        if (results.Count > 0)
        {
            PrintMedians(results);
        }

        return results;
    }

    /// <summary>Prints whether each target was met, with the figures it was judged on.</summary>
    internal static void PrintTargets(double closedLoopRatio, IReadOnlyList<HttpLoadResult> loads)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"target requests/s >= 1.5 x sockets at saturation (wrk): {(closedLoopRatio >= 1.5 ? "met" : "NOT met")} ({closedLoopRatio:F3})"));
        double socketsP99 = Median(loads, "sockets", HttpLoadPhase.OpenLoop, r => r.P99Us);
        double interludeP99 = Median(loads, "interlude", HttpLoadPhase.OpenLoop, r => r.P99Us);
        if (double.IsNaN(socketsP99) || double.IsNaN(interludeP99))
        {
            Console.WriteLine("target p99 <= sockets' at the same offered rate: not measured (no open loop)");
            return;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"target p99 <= sockets' at the same offered rate (median of rounds): {(interludeP99 <= socketsP99 ? "met" : "NOT met")} (interlude {interludeP99:F0} us, sockets {socketsP99:F0} us, ratio {interludeP99 / socketsP99:F3})"));
    }

    internal static double Median(IEnumerable<HttpLoadResult> results, string transport, HttpLoadPhase phase, Func<HttpLoadResult, double> value)
    {
        double[] values = results.Where(r => r.Transport == transport && r.Phase == phase).Select(value).Order().ToArray();
        return values.Length == 0 ? double.NaN : values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }

    private static async Task RoundsAsync(
        string h2load, HttpBenchSettings settings, HttpLoadPhase phase, double rate, X509Certificate2? certificate, List<HttpLoadResult> results, CancellationToken cancellationToken)
    {
        for (int round = 1; round <= settings.Rounds; round++)
        {
            foreach ((string transport, HttpBenchSettings with) in Transports(settings))
            {
                HttpLoadResult r = await HttpLoad.MeasureAsync(transport, h2load, with, phase, rate, certificate, cancellationToken).ConfigureAwait(false);
                results.Add(r);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  round {round} {transport,-19}: {r.RequestsPerSecond,9:F0} requests/s, p50 {r.P50Us,7:F0} us, p99 {r.P99Us,7:F0} us, p99.9 {r.P999Us,7:F0} us, {r.Failed} failed"));
            }
        }
    }

    private static void PrintMedians(List<HttpLoadResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("medians over the rounds:");
        Console.WriteLine($"{"phase",-26} {"transport",-20} {"requests/s",11} {"p50 us",9} {"p99 us",9} {"p99.9 us",9} {"failed",7}");
        foreach (HttpLoadPhase phase in results.Select(r => r.Phase).Distinct())
        {
            foreach (string transport in results.Select(r => r.Transport).Distinct())
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Name(phase),-26} {transport,-20} {Median(results, transport, phase, r => r.RequestsPerSecond),11:F0} {Median(results, transport, phase, r => r.P50Us),9:F0} {Median(results, transport, phase, r => r.P99Us),9:F0} {Median(results, transport, phase, r => r.P999Us),9:F0} {results.Where(r => r.Transport == transport && r.Phase == phase).Sum(r => r.Failed),7}"));
            }

            foreach (string interlude in results.Select(r => r.Transport).Distinct().Where(t => t != "sockets"))
            {
                double ratio = Median(results, interlude, phase, r => r.P99Us) / Median(results, "sockets", phase, r => r.P99Us);
                double throughput = Median(results, interlude, phase, r => r.RequestsPerSecond) / Median(results, "sockets", phase, r => r.RequestsPerSecond);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{string.Empty,-26} ratio {interlude} / sockets: requests/s {throughput:F3}, p99 {ratio:F3}"));
            }
        }
    }

    /// <summary>The transports of each round, in order: sockets, interlude, and the variant when there is one.</summary>
    private static IEnumerable<(string Name, HttpBenchSettings Settings)> Transports(HttpBenchSettings settings)
    {
        yield return ("sockets", settings);
        yield return ("interlude", settings);
        if (settings.Variant is { } variant)
        {
            yield return ($"interlude-{variant}", settings.ForVariant());
        }
    }

    private static string Name(HttpLoadPhase phase) => phase switch
    {
        HttpLoadPhase.OpenLoop => "open loop",
        HttpLoadPhase.ConnectionPerRequest => "connection per request",
        _ => "connection per request TLS",
    };
}
