using System.Globalization;
using System.Text.RegularExpressions;

namespace Interlude.Harness.Tls;

/// <summary>Reads h2load's summary (nghttp2 1.4x to 1.6x print the same lines).</summary>
public static partial class H2loadOutput
{
    /// <summary>Parses what h2load printed; throws <see cref="FormatException"/> when the summary is missing.</summary>
    public static H2loadResult Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Match finished = Finished().Match(output);
        Match requests = Requests().Match(output);
        if (!finished.Success || !requests.Success)
        {
            throw new FormatException($"h2load's output has no summary:{Environment.NewLine}{output}");
        }

        Match status = StatusCodes().Match(output);
        (double connectMean, double connectMax) = Timing(output, "time for connect");
        (double firstByteMean, _) = Timing(output, "time to 1st byte");
        return new H2loadResult(
            FinishedSeconds: DurationUs(finished.Groups["time"].Value) / 1e6,
            RequestsPerSecond: Real(finished.Groups["rps"].Value),
            Requests: Whole(requests.Groups["total"].Value),
            Succeeded: Whole(requests.Groups["succeeded"].Value),
            Failed: Whole(requests.Groups["failed"].Value),
            Errored: Whole(requests.Groups["errored"].Value),
            TimedOut: Whole(requests.Groups["timeout"].Value),
            Status2xx: status.Success ? Whole(status.Groups["ok"].Value) : 0,
            ConnectMeanUs: connectMean,
            ConnectMaxUs: connectMax,
            FirstByteMeanUs: firstByteMean,
            TlsProtocol: Line(output, "TLS Protocol"),
            Cipher: Line(output, "Cipher"),
            ServerTempKey: Line(output, "Server Temp Key"));
    }

    /// <summary>A duration as h2load prints it ("0us", "4.22ms", "1.05s", "2m"), in microseconds.</summary>
    public static double DurationUs(string text)
    {
        Match m = Duration().Match(text.Trim());
        if (!m.Success)
        {
            throw new FormatException($"'{text}' is not an h2load duration.");
        }

        double value = Real(m.Groups["value"].Value);
        return m.Groups["unit"].Value switch
        {
            "us" => value,
            "ms" => value * 1e3,
            "s" => value * 1e6,
            "m" => value * 60e6,
            "h" => value * 3600e6,
            _ => throw new FormatException($"'{text}' has an unknown unit."),
        };
    }

    // "time for connect:     5.95ms     30.77ms     18.35ms      7.57ms    60.00%": min, max, mean, sd, +/- sd.
    private static (double MeanUs, double MaxUs) Timing(string output, string label)
    {
        foreach (string line in output.Split('\n'))
        {
            string trimmed = line.Trim();
            if (!trimmed.StartsWith(label + ":", StringComparison.Ordinal))
            {
                continue;
            }

            string[] fields = trimmed[(label.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3)
            {
                return (DurationUs(fields[2]), DurationUs(fields[1]));
            }
        }

        return (double.NaN, double.NaN);
    }

    private static string Line(string output, string label)
    {
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith(label + ":", StringComparison.Ordinal))
            {
                return line[(label.Length + 1)..].Trim();
            }
        }

        return string.Empty;
    }

    private static double Real(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static long Whole(string text) => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^finished in (?<time>[0-9.]+[a-z]+), (?<rps>[0-9.]+) req/s", RegexOptions.Multiline)]
    private static partial Regex Finished();

    [GeneratedRegex(
        @"^requests: (?<total>\d+) total, \d+ started, \d+ done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored, (?<timeout>\d+) timeout",
        RegexOptions.Multiline)]
    private static partial Regex Requests();

    [GeneratedRegex(@"^status codes: (?<ok>\d+) 2xx", RegexOptions.Multiline)]
    private static partial Regex StatusCodes();

    [GeneratedRegex(@"^(?<value>[0-9.]+)(?<unit>us|ms|s|m|h)$")]
    private static partial Regex Duration();
}
