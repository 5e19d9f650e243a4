using System.Globalization;
using System.Text;

namespace Interlude.Cli.Top;

/// <summary>
/// The figures <c>interlude top</c> shows, from one interval's samples: per loop, its utilization, wakes and sleeps
/// per second, offloads completed and failed per second, coroutines in flight and queued submissions; overall, the
/// offload duration's quantiles.
/// </summary>
internal static class TopView
{
    public static readonly string[] Columns = ["loop", "busy", "wakes/s", "sleeps/s", "offloads/s", "failed/s", "active", "queued"];

    /// <summary>One row per loop, in loop order, with the columns of <see cref="Columns"/>.</summary>
    public static IReadOnlyList<string[]> Rows(IReadOnlyCollection<MetricSample> samples, TimeSpan interval)
    {
        double seconds = Math.Max(interval.TotalSeconds, 1e-9);
        var rows = new List<string[]>();
        foreach (int loop in samples.Where(s => s.Loop is not null).Select(s => s.Loop!.Value).Distinct().Order())
        {
            rows.Add(
            [
                loop.ToString(CultureInfo.InvariantCulture),
                Percent(Value(samples, "interlude.loop.utilization", loop)),
                Rate(Value(samples, "interlude.loop.wake", loop), seconds),
                Rate(Value(samples, "interlude.loop.sleep", loop), seconds),
                Rate(Value(samples, "interlude.offload.completed", loop), seconds),
                Rate(Value(samples, "interlude.offload.failed", loop), seconds),
                Count(Value(samples, "interlude.coroutine.active", loop)),
                Count(Value(samples, "interlude.offload.queue.length", loop)),
            ]);
        }

        return rows;
    }

    /// <summary>The offload duration's p50, p95 and p99 in microseconds, or a note that none completed yet.</summary>
    public static string Durations(IReadOnlyCollection<MetricSample> samples)
    {
        MetricSample? histogram = samples.FirstOrDefault(s => s.Instrument == "interlude.offload.duration" && s.Quantiles is { Count: > 0 });
        if (histogram?.Quantiles is not { } q)
        {
            return "offload duration: no offloads measured yet";
        }

        return string.Create(CultureInfo.InvariantCulture, $"offload duration (submission to reap): p50 {Us(q, 0.5)} us, p95 {Us(q, 0.95)} us, p99 {Us(q, 0.99)} us");
    }

    /// <summary>The view as plain text, for output that is not a terminal.</summary>
    public static string Text(IReadOnlyCollection<MetricSample> samples, TimeSpan interval)
    {
        IReadOnlyList<string[]> rows = Rows(samples, interval);
        int[] widths = [.. Columns.Select((c, i) => Math.Max(c.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max()))];
        var text = new StringBuilder();
        text.AppendLine(string.Join("  ", Columns.Select((c, i) => c.PadLeft(widths[i]))));
        foreach (string[] row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadLeft(widths[i]))));
        }

        if (rows.Count == 0)
        {
            text.AppendLine("no Interlude loops in the process (yet)");
        }

        text.AppendLine(Durations(samples));
        return text.ToString();
    }

    private static double? Value(IReadOnlyCollection<MetricSample> samples, string instrument, int loop)
    {
        double? sum = null;
        foreach (MetricSample sample in samples)
        {
            if (sample.Instrument == instrument && sample.Loop == loop)
            {
                sum = (sum ?? 0) + sample.Value;
            }
        }

        return sum;
    }

    private static string Percent(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v * 100:F1}%") : "-";

    private static string Rate(double? perInterval, double seconds) => perInterval is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v / seconds:N0}") : "-";

    private static string Count(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:N0}") : "-";

    private static string Us(IReadOnlyDictionary<double, double> quantiles, double q)
        => quantiles.TryGetValue(q, out double seconds) ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:N1}") : "-";
}
