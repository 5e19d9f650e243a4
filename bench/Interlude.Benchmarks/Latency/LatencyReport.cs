using System.Globalization;
using Interlude.Diagnostics;

namespace Interlude.Benchmarks.Latency;

/// <summary>Prints one table of latency results, with each median relative to Poll's.</summary>
internal static class LatencyReport
{
    private static readonly (string Title, int Width)[] s_columns =
    [
        ("mode", 9),
        ("samples", 8),
        ("p50 us", 8),
        ("p99 us", 8),
        ("p99.9 us", 9),
        ("max us", 9),
        ("mean us", 8),
        ("p50/Poll", 9),
        ("wall us/op", 11),
        ("proc CPU us/op", 15),
        ("loop CPU us/op", 15),
        ("proc vcsw/op", 13),
        ("loop vcsw/op", 13),
        ("loop ivcsw/op", 14),
        ("loop sleeps/op", 15),
        ("alloc B/op", 11),
    ];

    internal static void Print(TextWriter output, string title, IReadOnlyList<LatencyResult> results)
    {
        output.WriteLine(title);
        output.WriteLine(string.Join(" ", s_columns.Select(c => c.Title.PadLeft(c.Width))));
        LatencyResult? poll = results.FirstOrDefault(r => r.Mode == nameof(WaitStrategy.Poll));
        foreach (LatencyResult r in results)
        {
            string[] cells =
            [
                r.Mode,
                r.Count.ToString(CultureInfo.InvariantCulture),
                F(r.PercentileUs(0.50)),
                F(r.PercentileUs(0.99)),
                F(r.PercentileUs(0.999)),
                F(r.MaxUs),
                F(r.MeanUs),
                poll is null ? "-" : (r.PercentileUs(0.50) / poll.PercentileUs(0.50)).ToString("0.00", CultureInfo.InvariantCulture) + "x",
                F(r.WallUsPerOp),
                ResourceUsage.IsAvailable ? F(r.ProcessCpuUsPerOp) : "n/a",
                ResourceUsage.IsAvailable ? F(r.LoopCpuUsPerOp) : "n/a",
                ResourceUsage.IsAvailable ? F4(r.ProcessVoluntaryPerOp) : "n/a",
                ResourceUsage.IsAvailable ? F4(r.LoopVoluntaryPerOp) : "n/a",
                ResourceUsage.IsAvailable ? F4(r.LoopInvoluntaryPerOp) : "n/a",
                F4(r.LoopSleepsPerOp),
                F(r.AllocatedBytesPerOp),
            ];
            output.WriteLine(string.Join(" ", cells.Select((c, i) => c.PadLeft(s_columns[i].Width))));
        }

        if (poll is not null)
        {
            foreach (LatencyResult r in results.Where(r => r != poll))
            {
                (LatencyResult top, LatencyResult bottom) = r.Mode == HandoffBaseline.Name ? (poll, r) : (r, poll);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {top.Mode}/{bottom.Mode} median ratio: {top.PercentileUs(0.50) / bottom.PercentileUs(0.50):0.00} ({F(top.PercentileUs(0.50))} us / {F(bottom.PercentileUs(0.50))} us)"));
            }
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  warm-up samples discarded: {string.Join(", ", results.Select(r => $"{r.Mode} {r.WarmupSamples}"))}; min us: {string.Join(", ", results.Select(r => $"{r.Mode} {F(r.MinUs)}"))}"));
        output.WriteLine();
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string F4(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
