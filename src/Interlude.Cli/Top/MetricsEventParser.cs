using System.Globalization;
using Microsoft.Diagnostics.Tracing;

namespace Interlude.Cli.Top;

/// <summary>
/// Reads the events System.Diagnostics.Metrics' event source publishes for a listening session into
/// <see cref="MetricSample"/>s: rates of counters, values of gauges and up-down counters, quantiles of histograms.
/// </summary>
internal static class MetricsEventParser
{
    public const string ProviderName = "System.Diagnostics.Metrics";

    public static MetricSample? Parse(TraceEvent e, string sessionId)
    {
        if (e.ProviderName != ProviderName || e.PayloadByName("sessionId") as string != sessionId)
        {
            return null;
        }

        string instrument = e.PayloadByName("instrumentName") as string ?? string.Empty;
        string tags = e.PayloadByName("tags") as string ?? string.Empty;
        return e.EventName switch
        {
            "CounterRateValuePublished" or "UpDownCounterRateValuePublished" => Sample(instrument, tags, e.EventName.StartsWith("UpDown", StringComparison.Ordinal) ? "value" : "rate", e),
            "GaugeValuePublished" => Sample(instrument, tags, "lastValue", e),
            "HistogramValuePublished" => new MetricSample(instrument, Loop(tags), tags, double.NaN, Quantiles(e.PayloadByName("quantiles") as string)),
            _ => null,
        };
    }

    /// <summary>The loop index in a published attribute list such as <c>interlude.loop.index=1,other=x</c>.</summary>
    public static int? Loop(string tags)
    {
        foreach (string pair in tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair.AsSpan(0, equals).SequenceEqual("interlude.loop.index")
                && int.TryParse(pair.AsSpan(equals + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out int loop))
            {
                return loop;
            }
        }

        return null;
    }

    /// <summary>Quantiles as published: <c>0.5=12.3;0.95=45.6;0.99=78.9</c>.</summary>
    public static IReadOnlyDictionary<double, double> Quantiles(string? text)
    {
        var quantiles = new Dictionary<double, double>();
        foreach (string pair in (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0
                && double.TryParse(pair.AsSpan(0, equals), NumberStyles.Float, CultureInfo.InvariantCulture, out double q)
                && double.TryParse(pair.AsSpan(equals + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            {
                quantiles[q] = v;
            }
        }

        return quantiles;
    }

    private static MetricSample? Sample(string instrument, string tags, string field, TraceEvent e)
    {
        string? text = e.PayloadByName(field) as string;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? new MetricSample(instrument, Loop(tags), tags, value, null)
            : null;
    }
}
