using System.Diagnostics;
using System.Globalization;

namespace Interlude.Benchmarks.Histograms;

/// <summary>
/// The harness's <c>LatencyHistogram</c> against HdrHistogram, in one run, on what the harness needs of one:
/// percentile accuracy against an exact sorted reference, memory per instance (the comparison keeps one per
/// worker, up to thousands), the cost and allocation of recording in steady state, and merging per-worker
/// histograms. Each timing takes the median of rounds in which the candidates take turns, so drift hits them alike.
/// </summary>
internal static class HistogramComparison
{
    private const int SamplesPerDistribution = 200_000;
    private const int Rounds = 9;
    private const int Workers = 64;
    private const int SamplesPerWorker = 20_000;

    private static readonly double[] s_quantiles = [0.50, 0.99, 0.999];

    internal static void Run(TextWriter output)
    {
        // An hour of Stopwatch ticks: HdrHistogram throws beyond its range, so the harness would clamp to it.
        long highest = Stopwatch.Frequency * 3600;
        IReadOnlyList<HistogramCandidate> candidates = HistogramCandidate.All(highest);
        (string Name, long[] Values)[] distributions =
        [
            ("ping: 0.2-5 us, 1% tail to 100 us", Generate(1, r => r.NextDouble() < 0.99 ? 200 + (long)(r.NextDouble() * 4_800) : 5_000 + (long)(r.NextDouble() * 95_000))),
            ("exponential, mean 50 us", Generate(2, r => (long)(-50_000 * Math.Log(1 - r.NextDouble())))),
            ("lognormal, median 20 us, sigma 2", Generate(3, r => (long)Math.Exp(Math.Log(20_000) + (2.0 * StandardNormal(r))))),
            ("uniform 0-2 ms", Generate(4, r => r.NextInt64(0, 2_000_000))),
            ("requests: log-uniform 100 us - 10 ms", Generate(5, r => (long)Math.Exp(Math.Log(100_000) + (r.NextDouble() * Math.Log(100))))),
        ];

        output.WriteLine(Invariant($"Histograms: Stopwatch {Stopwatch.Frequency} Hz; values in ticks; HdrHistogram range 1..{highest}"));
        output.WriteLine();
        output.WriteLine("Worst relative error against the exact sorted reference (nearest rank), over the distributions:");
        foreach (HistogramCandidate candidate in candidates)
        {
            double[] worst = WorstErrors(candidate, distributions);
            output.WriteLine(Invariant($"  {candidate.Name,-52} p50 {worst[0]:0.000%}  p99 {worst[1]:0.000%}  p99.9 {worst[2]:0.000%}"));
        }

        output.WriteLine();
        output.WriteLine(Invariant($"Memory: bytes per instance, and for the demo's 1,002 workers at L = 1 ms (one histogram each):"));
        foreach (HistogramCandidate candidate in candidates)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            object histogram = candidate.Create();
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(histogram);
            output.WriteLine(Invariant($"  {candidate.Name,-52} {bytes,9:N0} B   {bytes * 1002 / 1e6,6:0.0} MB"));
        }

        long[] recorded = [.. distributions[0].Values, .. distributions[4].Values];
        output.WriteLine();
        output.WriteLine(Invariant($"Record in steady state ({recorded.Length:N0} values a round, median of {Rounds} rounds):"));
        (double[] nsPerValue, long[] allocated) = TimeRecording(candidates, recorded);
        for (int k = 0; k < candidates.Count; k++)
        {
            output.WriteLine(Invariant(
                $"  {candidates[k].Name,-52} {nsPerValue[k],6:0.00} ns/value ({nsPerValue[k] / nsPerValue[0]:0.00}x), {allocated[k]} B allocated in {Rounds * recorded.Length:N0} records"));
        }

        output.WriteLine();
        output.WriteLine(Invariant($"Merge {Workers} per-worker histograms of {SamplesPerWorker:N0} values into one (median of {Rounds}):"));
        double[] mergeUs = TimeMerging(candidates, recorded);
        for (int k = 0; k < candidates.Count; k++)
        {
            output.WriteLine(Invariant($"  {candidates[k].Name,-52} {mergeUs[k],8:0.0} us ({mergeUs[k] / mergeUs[0]:0.0}x)"));
        }
    }

    private static double[] WorstErrors(HistogramCandidate candidate, (string Name, long[] Values)[] distributions)
    {
        var worst = new double[s_quantiles.Length];
        foreach ((_, long[] values) in distributions)
        {
            long[] sorted = (long[])values.Clone();
            Array.Sort(sorted);
            object histogram = candidate.Create();
            candidate.RecordAll(histogram, values);
            for (int i = 0; i < s_quantiles.Length; i++)
            {
                long exact = sorted[Math.Clamp((long)Math.Ceiling(s_quantiles[i] * sorted.Length), 1, sorted.Length) - 1];
                double error = Math.Abs(candidate.ValueAtQuantile(histogram, s_quantiles[i]) - exact) / (double)Math.Max(1, exact);
                worst[i] = Math.Max(worst[i], error);
            }
        }

        return worst;
    }

    private static (double[] NsPerValue, long[] Allocated) TimeRecording(IReadOnlyList<HistogramCandidate> candidates, long[] values)
    {
        object[] histograms = candidates.Select(c => c.Create()).ToArray();
        var times = candidates.Select(_ => new List<double>()).ToArray();
        var allocated = new long[candidates.Count];

        // Two uncounted rounds first: JIT tiers and the histograms' first touch of their arrays.
        for (int round = -2; round < Rounds; round++)
        {
            for (int k = 0; k < candidates.Count; k++)
            {
                long bytes = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                candidates[k].RecordAll(histograms[k], values);
                long ticks = Stopwatch.GetTimestamp() - start;
                bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
                if (round >= 0)
                {
                    times[k].Add(ticks * 1e9 / Stopwatch.Frequency / values.Length);
                    allocated[k] += bytes;
                }
            }
        }

        return (times.Select(Median).ToArray(), allocated);
    }

    private static double[] TimeMerging(IReadOnlyList<HistogramCandidate> candidates, long[] values)
    {
        var times = candidates.Select(_ => new List<double>()).ToArray();
        for (int round = -2; round < Rounds; round++)
        {
            for (int k = 0; k < candidates.Count; k++)
            {
                var workers = new object[Workers];
                for (int w = 0; w < workers.Length; w++)
                {
                    workers[w] = candidates[k].Create();
                    candidates[k].RecordAll(workers[w], values.AsSpan((w * SamplesPerWorker) % (values.Length - SamplesPerWorker), SamplesPerWorker).ToArray());
                }

                object total = candidates[k].Create();
                long start = Stopwatch.GetTimestamp();
                foreach (object worker in workers)
                {
                    candidates[k].Merge(total, worker);
                }

                long ticks = Stopwatch.GetTimestamp() - start;
                if (round >= 0)
                {
                    times[k].Add(ticks * 1e6 / Stopwatch.Frequency);
                }
            }
        }

        return times.Select(Median).ToArray();
    }

    private static long[] Generate(int seed, Func<Random, long> next)
    {
        var random = new Random(seed);
        var values = new long[SamplesPerDistribution];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Max(0, next(random));
        }

        return values;
    }

    private static double StandardNormal(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
