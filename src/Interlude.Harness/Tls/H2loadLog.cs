using System.Globalization;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Tls;

/// <summary>
/// Reads h2load's <c>--log-file</c>: one tab-separated line per request (start time in microseconds since the epoch,
/// HTTP status or -1 for a failed stream, microseconds until the end of the response; later columns ignored).
/// </summary>
public static class H2loadLog
{
    /// <summary>The latencies (nanoseconds) of the requests that got a 2xx response, and how many did not.</summary>
    public static (LatencyHistogram Latencies, long NotOk) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var latencies = new LatencyHistogram();
        long notOk = 0;
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.TrimEnd('\r').Split('\t');
            if (fields.Length < 3)
            {
                continue;
            }

            if (!int.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int status)
                || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long micros))
            {
                throw new FormatException($"Not an h2load log line: '{line}'.");
            }

            if (status is >= 200 and < 300)
            {
                latencies.Record(micros * 1000);
            }
            else
            {
                notOk++;
            }
        }

        return (latencies, notOk);
    }
}
