using HdrHistogram;
using Interlude.Harness.Measurement;

namespace Interlude.Benchmarks.Histograms;

/// <summary>
/// One latency histogram the comparison measures, behind one shape: the harness's <see cref="LatencyHistogram"/>,
/// or an HdrHistogram at a given precision.
/// </summary>
internal abstract class HistogramCandidate
{
    protected HistogramCandidate(string name) => Name = name;

    internal string Name { get; }

    internal abstract object Create();

    /// <summary>Records every value, in a loop the JIT specialises for the histogram's own type.</summary>
    internal abstract void RecordAll(object histogram, long[] values);

    internal abstract long ValueAtQuantile(object histogram, double quantile);

    internal abstract void Merge(object into, object from);

    internal static IReadOnlyList<HistogramCandidate> All(long highestTrackable) =>
    [
        new Ours(),
        new Hdr("HdrHistogram LongHistogram, 3 digits", () => new LongHistogram(highestTrackable, 3)),
        new Hdr("HdrHistogram IntHistogram, 3 digits", () => new IntHistogram(highestTrackable, 3)),
        new Hdr("HdrHistogram LongHistogram, 2 digits", () => new LongHistogram(highestTrackable, 2)),
    ];

    private sealed class Ours() : HistogramCandidate("LatencyHistogram (harness, 128 buckets per octave)")
    {
        internal override object Create() => new LatencyHistogram();

        internal override void RecordAll(object histogram, long[] values)
        {
            var h = (LatencyHistogram)histogram;
            foreach (long value in values)
            {
                h.Record(value);
            }
        }

        internal override long ValueAtQuantile(object histogram, double quantile) => ((LatencyHistogram)histogram).ValueAtQuantile(quantile);

        internal override void Merge(object into, object from) => ((LatencyHistogram)into).Add((LatencyHistogram)from);
    }

    private sealed class Hdr(string name, Func<HistogramBase> create) : HistogramCandidate(name)
    {
        internal override object Create() => create();

        internal override void RecordAll(object histogram, long[] values)
        {
            var h = (HistogramBase)histogram;
            foreach (long value in values)
            {
                h.RecordValue(value);
            }
        }

        internal override long ValueAtQuantile(object histogram, double quantile) => ((HistogramBase)histogram).GetValueAtPercentile(quantile * 100);

        internal override void Merge(object into, object from) => ((HistogramBase)into).Add((HistogramBase)from);
    }
}
