using System.Globalization;
using System.Text.RegularExpressions;

namespace Interlude.Harness.Http;

/// <summary>Parses the text wrk prints with <c>--latency</c>.</summary>
public static partial class WrkOutput
{
    /// <summary>Reads the figures out of wrk's output; throws <see cref="FormatException"/> if the throughput line is missing.</summary>
    public static WrkResult Parse(string transport, string output)
    {
        Match rps = RequestsPerSecond().Match(output);
        if (!rps.Success)
        {
            throw new FormatException("wrk printed no 'Requests/sec' line:" + Environment.NewLine + output);
        }

        Match total = TotalRequests().Match(output);
        long socketErrors = 0;
        Match errors = SocketErrorsLine().Match(output);
        if (errors.Success)
        {
            for (int g = 1; g <= 4; g++)
            {
                socketErrors += long.Parse(errors.Groups[g].Value, CultureInfo.InvariantCulture);
            }
        }

        Match non2xx = Non2xx().Match(output);
        return new WrkResult(
            transport,
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture),
            total.Success ? long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            Percentile(output, "50"),
            Percentile(output, "75"),
            Percentile(output, "90"),
            Percentile(output, "99"),
            socketErrors,
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    private static double Percentile(string output, string percent)
    {
        Match m = Regex.Match(output, @"^\s*" + percent + @"(?:\.0+)?%\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        if (!m.Success)
        {
            return double.NaN;
        }

        double value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        double microseconds = m.Groups[2].Value switch
        {
            "us" => value,
            "ms" => value * 1_000,
            _ => value * 1_000_000,
        };
        return Math.Round(microseconds, 2);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in", RegexOptions.CultureInvariant)]
    private static partial Regex TotalRequests();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Non2xx();
}
