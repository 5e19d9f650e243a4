using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Interlude.Harness.Wake;

/// <summary>Plain-text table of thread wake rows: latency percentiles in microseconds and the waiting core's busy fraction.</summary>
public static class ThreadWakeTable
{
    public static string Format(IReadOnlyList<WakeMeasurement> rows, IReadOnlyList<string> notes)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"section",-10} {"mode",-14} {"placement",-10} {"gap us",7} {"n",6} {"p50 us",8} {"p99 us",8} {"p99.9 us",9} {"busy",5}");
        foreach (WakeMeasurement row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{row.Section,-10} {row.Mode,-14} {row.Placement,-10} {row.GapUs,7} {row.Latency.Count,6} {Us(row.Latency.ValueAtQuantile(0.5)),8:0.00} {Us(row.Latency.ValueAtQuantile(0.99)),8:0.00} {Us(row.Latency.ValueAtQuantile(0.999)),9:0.00} {row.BusyFraction,5:0.00}");
        }

        foreach (string note in notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"note: {note}");
        }

        return text.ToString();
    }

    private static double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
