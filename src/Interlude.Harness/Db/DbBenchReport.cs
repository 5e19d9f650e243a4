using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Interlude.Harness.Db;

/// <summary>Medians over the rounds, the ratios against Kestrel sockets with their targets, as text and JSON Lines.</summary>
public static class DbBenchReport
{
    public const string Kestrel = "kestrel-sockets";
    public const string Interlude = "interlude";
    public const string Variant = "interlude-variant";

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count); NaN for none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Where(v => !double.IsNaN(v)).Order()];
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>One row per endpoint, load and server, in the order they first appear.</summary>
    public static IReadOnlyList<DbSummary> Summarize(IEnumerable<DbPhase> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        return
        [
            .. phases.GroupBy(p => (p.Endpoint, p.Load, p.Server)).Select(g => new DbSummary(
                g.Key.Server,
                g.Key.Endpoint,
                g.Key.Load,
                g.Count(),
                Median(g.Select(p => p.OfferedPerSecond)),
                Median(g.Select(p => p.RequestsPerSecond)),
                g.Sum(p => p.Failed),
                Median(g.Select(p => p.P50Us)),
                Median(g.Select(p => p.P99Us)),
                Median(g.Select(p => p.CpuUsPerRequest)),
                Median(g.Select(p => p.ContextSwitchesPerRequest)))),
        ];
    }

    /// <summary>
    /// Per endpoint: closed-loop requests/s of Interlude (and the variant) over Kestrel sockets', target at least 1;
    /// open-loop p99 over Kestrel sockets', target at most 1; with a variant, also its requests/s over Interlude's.
    /// </summary>
    public static IReadOnlyList<DbRatio> Ratios(IReadOnlyList<DbSummary> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ratios = new List<DbRatio>();
        foreach (string endpoint in rows.Select(r => r.Endpoint).Distinct())
        {
            Add(endpoint, "closed", "requests/s", Interlude, Kestrel, r => r.RequestsPerSecond, 1.0, atLeast: true);
            Add(endpoint, "closed", "requests/s", Variant, Kestrel, r => r.RequestsPerSecond, 1.0, atLeast: true);
            Add(endpoint, "closed", "requests/s", Variant, Interlude, r => r.RequestsPerSecond, 1.0, atLeast: true);
            Add(endpoint, "open", "p99", Interlude, Kestrel, r => r.P99Us, 1.0, atLeast: false);
            Add(endpoint, "open", "p99", Variant, Kestrel, r => r.P99Us, 1.0, atLeast: false);
        }

        return ratios;

        void Add(string endpoint, string load, string measure, string numerator, string denominator, Func<DbSummary, double> value, double target, bool atLeast)
        {
            DbSummary? top = rows.FirstOrDefault(r => r.Endpoint == endpoint && r.Load == load && r.Server == numerator);
            DbSummary? bottom = rows.FirstOrDefault(r => r.Endpoint == endpoint && r.Load == load && r.Server == denominator);
            if (top is not null && bottom is not null)
            {
                ratios.Add(new DbRatio(endpoint, load, measure, numerator, denominator, value(top) / value(bottom), target, atLeast));
            }
        }
    }

    /// <summary>The table of medians, then one line per ratio with its target and whether it is met.</summary>
    public static string Text(IReadOnlyList<DbSummary> rows, IReadOnlyList<DbRatio> ratios)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(ratios);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"endpoint",-10} {"load",-6} {"server",-17} {"rounds",6} {"offered/s",9} {"req/s",8} {"failed",6} {"p50 us",8} {"p99 us",8} {"cpu us/req",10} {"csw/req",7}");
        foreach (DbSummary r in rows)
        {
            string offered = r.Load == "open" ? r.OfferedPerSecond.ToString("F0", CultureInfo.InvariantCulture) : "-";
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Endpoint,-10} {r.Load,-6} {r.Server,-17} {r.Rounds,6} {offered,9} {r.RequestsPerSecond,8:F0} {r.Failed,6} {r.P50Us,8:F0} {r.P99Us,8:F0} {r.CpuUsPerRequest,10:F1} {r.ContextSwitchesPerRequest,7:F2}");
        }

        text.AppendLine();
        foreach (DbRatio ratio in ratios)
        {
            string label = $"{ratio.Endpoint} ({ratio.Load} loop): {ratio.Numerator} / {ratio.Denominator} {ratio.Measure}";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {label,-66} {ratio.Value,7:F3}  (target {(ratio.AtLeast ? ">=" : "<=")} {ratio.Target:0.0#}: {(ratio.Met ? "met" : "not met")})");
        }

        return text.ToString();
    }

    /// <summary>JSON Lines: one "phase" object per measured phase, one "summary" per row, one "ratio" per ratio.</summary>
    public static void WriteJsonLines(TextWriter writer, IReadOnlyList<DbPhase> phases, IReadOnlyList<DbSummary> rows, IReadOnlyList<DbRatio> ratios)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        foreach (DbPhase phase in phases)
        {
            writer.WriteLine(Line("phase", phase, options));
        }

        foreach (DbSummary row in rows)
        {
            writer.WriteLine(Line("summary", row, options));
        }

        foreach (DbRatio ratio in ratios)
        {
            writer.WriteLine(Line("ratio", ratio, options));
        }
    }

    private static string Line<T>(string kind, T value, JsonSerializerOptions options)
    {
        string body = JsonSerializer.Serialize(value, options);
        return $"{{\"bench\":\"db\",\"kind\":\"{kind}\",{body[1..]}";
    }
}
