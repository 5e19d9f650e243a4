using System.Globalization;
using System.Text;
using System.Text.Json;
using Interlude.Harness.Reporting;

namespace Interlude.Harness.Wake;

/// <summary>Prints the rows of <c>interlude bench wake</c> as tables and ratios, and writes them as JSON Lines and HTML.</summary>
public static class WakeReport
{
    private static readonly (string Section, string Title)[] s_sections =
    [
        ("ping", "Ping: completion to continuation, one operation in flight, after an idle gap"),
        ("primitives", "Wake primitives for plain threads: signal to waiter running"),
        ("queues", "Queue scaling: one polling loop, one active queue among many"),
        ("adaptive", $"Offered load: {AdaptiveLoadSweep.CpuUs} us of loop work per request, then a {AdaptiveLoadSweep.OffloadUs} us offload (latency: offload round trip)"),
        (TimerSlackBench.Section, "Timers: a sleeping loop's timer, due time to continuation (gap = the delay asked for)"),
    ];

    public static double P50Us(WakeMeasurement row) => row.P50Us;

    public static void PrintTables(TextWriter output, IReadOnlyList<WakeMeasurement> rows)
    {
        foreach ((string section, string title) in s_sections)
        {
            var inSection = rows.Where(r => r.Section == section).ToList();
            if (inSection.Count == 0)
            {
                continue;
            }

            output.WriteLine(title);
            output.WriteLine(Line(
                "mode", "placement", "gap us", "queues", "load", "samples", "p50 us", "p99 us", "p99.9 us", "max us", "busy", "cpu us/op", "csw/op", "sleeps/op", "alloc B/op"));
            foreach (WakeMeasurement row in inSection)
            {
                output.WriteLine(Line(
                    row.Mode,
                    row.Placement,
                    Format(row.GapUs),
                    Format(row.Queues),
                    row.Load.ToString("0.00", CultureInfo.InvariantCulture),
                    Format(row.Latency.Count),
                    Format(row.P50Us, "0.000"),
                    Format(row.P99Us, "0.000"),
                    Format(row.P999Us, "0.000"),
                    Format(row.MaxUs, "0.0"),
                    row.BusyFraction.ToString("0.00", CultureInfo.InvariantCulture),
                    Format(row.CpuUsPerOp, "0.000"),
                    Format(row.ContextSwitchesPerOp, "0.0000"),
                    Format(row.LoopSleepsPerOp, "0.0000"),
                    Format(row.AllocatedBytesPerOp, "0.0")));
            }

            output.WriteLine();
        }
    }

    /// <summary>The ratios the targets are stated in, each from rows of this one run.</summary>
    public static void PrintRatios(TextWriter output, IReadOnlyList<WakeMeasurement> rows)
    {
        output.WriteLine("Ratios (medians from this run):");
        if (Find(rows, "ping", "poll", 0) is { } poll)
        {
            output.WriteLine(Invariant($"  poll, back to back: p50 {P50Us(poll):0.000} us (target <= 0.4 us)"));
        }

        foreach (int gap in rows.Where(r => r.Section == "ping").Select(r => r.GapUs).Distinct())
        {
            if (Find(rows, "ping", "poll", gap) is { } polled && Find(rows, "ping", HandoffPingBench.Mode, gap) is { } floor)
            {
                output.WriteLine(Invariant(
                    $"  gap {gap} us: poll / raw handoff (the floor) p50 {Ratio(P50Us(polled), P50Us(floor))} ({P50Us(polled):0.000} / {P50Us(floor):0.000} us)"));
            }
        }

        foreach (int gap in rows.Where(r => r.Section == "ping").Select(r => r.GapUs).Distinct())
        {
            if (Find(rows, "ping", "interlude-interrupt", gap, LoopPingBench.CrossCore) is { } interrupt
                && Find(rows, "ping", "naive-interrupt", gap) is { } naive)
            {
                output.WriteLine(Invariant(
                    $"  gap {gap} us: interlude interrupt / naive interrupt p50 {Ratio(P50Us(interrupt), P50Us(naive))} ({P50Us(interrupt):0.00} / {P50Us(naive):0.00} us), busy {interrupt.BusyFraction:0.00} vs {naive.BusyFraction:0.00}"));
            }

            if (Find(rows, "ping", "interlude-interrupt", gap, LoopPingBench.SameCore) is { } same
                && Find(rows, "ping", "interlude-interrupt", gap, LoopPingBench.CrossCore) is { } cross)
            {
                output.WriteLine(Invariant($"  gap {gap} us: same-core / cross-core interrupt p50 {Ratio(P50Us(same), P50Us(cross))} ({P50Us(same):0.00} / {P50Us(cross):0.00} us)"));
            }

            if (Find(rows, "ping", "dispatcher", gap) is { } dispatcher && Find(rows, "ping", "blocking", gap) is { } blocking)
            {
                output.WriteLine(Invariant($"  gap {gap} us: dispatcher / blocking thread p50 {Ratio(P50Us(dispatcher), P50Us(blocking))} ({P50Us(dispatcher):0.00} / {P50Us(blocking):0.00} us)"));
            }
        }

        var queueCounts = rows.Where(r => r.Section == "queues").Select(r => r.Queues).Distinct().Order().ToList();
        if (queueCounts.Count > 1)
        {
            foreach (string mode in new[] { "summary", "linear-scan" })
            {
                if (rows.FirstOrDefault(r => r.Section == "queues" && r.Mode == mode && r.Queues == queueCounts[0]) is { } fewest
                    && rows.FirstOrDefault(r => r.Section == "queues" && r.Mode == mode && r.Queues == queueCounts[^1]) is { } most)
                {
                    output.WriteLine(Invariant(
                        $"  {mode}: p50 at {queueCounts[^1]} queues / at {queueCounts[0]} {Ratio(P50Us(most), P50Us(fewest))} ({P50Us(most):0.000} / {P50Us(fewest):0.000} us)"));
                }
            }
        }

        if (queueCounts.Count > 1
            && rows.FirstOrDefault(r => r.Section == "queues" && r.Mode == "linear-scan" && r.Queues == queueCounts[0]) is { } scanFewest
            && rows.FirstOrDefault(r => r.Section == "queues" && r.Mode == "summary" && r.Queues == queueCounts[^1]) is { } summaryMost)
        {
            output.WriteLine(Invariant(
                $"  as a loop chooses by default (CompletionScan.Auto: a scan for a few queues, the summary beyond): p50 at {queueCounts[^1]} / at {queueCounts[0]} {Ratio(P50Us(summaryMost), P50Us(scanFewest))} ({P50Us(summaryMost):0.000} / {P50Us(scanFewest):0.000} us) (target <= 1.2)"));
        }

        var loads = rows.Where(r => r.Section == "adaptive").Select(r => r.Load).Distinct().Order().ToList();
        foreach (double load in loads)
        {
            if (FindLoad(rows, "adaptive", load) is not { } adaptive)
            {
                continue;
            }

            if (FindLoad(rows, "poll", load) is { } polled)
            {
                double limit = P50Us(polled) + AdaptiveP50SlackUs;
                output.WriteLine(Invariant(
                    $"  load {load:0.00}: adaptive p50 {P50Us(adaptive):0.00} us vs poll {P50Us(polled):0.00} us + {AdaptiveP50SlackUs:0} = {limit:0.00}: {MetText(P50Us(adaptive) <= limit)}"));
            }

            if (FindLoad(rows, "interlude-interrupt", load) is { } interrupt)
            {
                double limit = AdaptiveBusyLimit(interrupt.BusyFraction);
                output.WriteLine(Invariant(
                    $"  load {load:0.00}: adaptive busy {adaptive.BusyFraction:0.00} vs max(interrupt {interrupt.BusyFraction:0.00} + 0.10, 0.25) = {limit:0.00}: {MetText(adaptive.BusyFraction <= limit)}"));
            }
        }

        foreach (int delayUs in rows.Where(r => r.Section == TimerSlackBench.Section).Select(r => r.GapUs).Distinct().Order())
        {
            if (rows.FirstOrDefault(r => r.Section == TimerSlackBench.Section && r.GapUs == delayUs && r.Mode == TimerSlackBench.LoopSlack) is { } loop
                && rows.FirstOrDefault(r => r.Section == TimerSlackBench.Section && r.GapUs == delayUs && r.Mode == TimerSlackBench.KernelSlack) is { } kernel)
            {
                output.WriteLine(Invariant(
                    $"  timer {delayUs} us: lateness with the loop's slack / the kernel's p50 {Ratio(P50Us(loop), P50Us(kernel))} ({P50Us(loop):0.00} / {P50Us(kernel):0.00} us), p99 {Ratio(loop.P99Us, kernel.P99Us)}"));
            }
        }
    }

    /// <summary>The adaptive sweep's latency target: adaptive's p50 at most poll's plus this, at every load.</summary>
    public const double AdaptiveP50SlackUs = 2;

    /// <summary>The adaptive sweep's CPU target: adaptive's busy fraction at most this, at every load.</summary>
    public static double AdaptiveBusyLimit(double interruptBusy) => Math.Max(interruptBusy + 0.10, 0.25);

    private static string MetText(bool met) => met ? "met" : "not met";

    public static void WriteJson(FileInfo destination, IReadOnlyList<WakeMeasurement> rows)
    {
        AtomicFile.Write(destination, writer =>
        {
            foreach (WakeMeasurement row in rows)
            {
                var buffer = new MemoryStream();
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    json.WriteString("section", row.Section);
                    json.WriteString("mode", row.Mode);
                    json.WriteString("placement", row.Placement);
                    json.WriteNumber("gap_us", row.GapUs);
                    json.WriteNumber("queues", row.Queues);
                    json.WriteNumber("load", row.Load);
                    json.WriteNumber("samples", row.Latency.Count);
                    json.WriteNumber("p50_us", Math.Round(row.P50Us, 4));
                    json.WriteNumber("p99_us", Math.Round(row.P99Us, 4));
                    json.WriteNumber("p999_us", Math.Round(row.P999Us, 4));
                    json.WriteNumber("max_us", Math.Round(row.MaxUs, 4));
                    json.WriteNumber("busy_fraction", Math.Round(row.BusyFraction, 4));
                    WriteNumberOrNull(json, "cpu_us_per_op", row.CpuUsPerOp, 4);
                    WriteNumberOrNull(json, "csw_per_op", row.ContextSwitchesPerOp, 6);
                    WriteNumberOrNull(json, "loop_sleeps_per_op", row.LoopSleepsPerOp, 6);
                    WriteNumberOrNull(json, "alloc_bytes_per_op", row.AllocatedBytesPerOp, 3);
                    json.WriteEndObject();
                }

                writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
            }
        });
    }

    public static WakeMeasurement? Find(IReadOnlyList<WakeMeasurement> rows, string section, string mode, int gapUs, string? placement = null)
        => rows.FirstOrDefault(r => r.Section == section && r.Mode == mode && r.GapUs == gapUs && (placement is null || r.Placement == placement));

    private static WakeMeasurement? FindLoad(IReadOnlyList<WakeMeasurement> rows, string mode, double load)
        => rows.FirstOrDefault(r => r.Section == "adaptive" && r.Mode == mode && r.Load == load);

    private static string Ratio(double a, double b) => b > 0 ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    private static string Format(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Format(double? value, string format) => value is { } v ? Format(v, format) : "n/a";

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value, int digits)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, digits));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Line(params string[] cells)
    {
        var line = new StringBuilder();
        line.Append(cells[0].PadRight(22)).Append(cells[1].PadRight(12));
        for (int i = 2; i < cells.Length; i++)
        {
            // At least one space before every cell, so a figure wider than its column still reads apart from the
            // last; the cost columns' headings fill ten characters, so those columns are one wider.
            line.Append(' ').Append(cells[i].PadLeft(i < 11 ? 9 : 10));
        }

        return line.ToString();
    }
}
