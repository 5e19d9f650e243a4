using System.Numerics;

namespace Interlude.Harness.Measurement;

/// <summary>
/// A log-bucketed histogram of non-negative values (HdrHistogram-like): values below 256 are counted exactly;
/// above, every power of two is split into 128 equal buckets, so a bucket spans at most 1/128 (0.8%) of its
/// values and the reported midpoint is within 0.4% of any value in it. Recording is one array increment and
/// never allocates; one writer at a time (merge per-writer histograms with <see cref="Add"/>).
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int ExactLimit = 2 * SubBucketCount;

    // Shifts 1..MaxShift cover values up to 2^(MaxShift + SubBucketBits + 1): 2^48 ticks is days at 1 GHz.
    // Larger values land in the last bucket rather than throwing on a hot path.
    private const int MaxShift = 40;
    private const int BucketCount = ExactLimit + (MaxShift * SubBucketCount);

    private readonly long[] _counts = new long[BucketCount];
    private long _min = long.MaxValue;
    private long _max;

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }

    public long Min => Count == 0 ? 0 : _min;

    public long Max => _max;

    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }

        _counts[IndexOf(value)]++;
        Count++;
        if (value < _min)
        {
            _min = value;
        }

        if (value > _max)
        {
            _max = value;
        }
    }

    /// <summary>Adds every value recorded by <paramref name="other"/> to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
    }

    /// <summary>
    /// The value at quantile <paramref name="quantile"/> (0..1): the midpoint of the bucket holding the value of
    /// that rank, clamped to the smallest and largest values recorded. 0 when empty.
    /// </summary>
    public long ValueAtQuantile(double quantile)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Clamp((long)Math.Ceiling(quantile * Count), 1, Count);
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                long mid = LowerBound(i) + ((Width(i) - 1) / 2);
                return Math.Clamp(mid, Min, Max);
            }
        }

        return Max;
    }

    /// <summary>
    /// The cumulative distribution, for plotting: starting at (<see cref="Min"/>, 0), then for each non-empty bucket
    /// in ascending order the largest value it can hold (clamped to <see cref="Max"/>) and the share of all values
    /// at or below it; the last point is (<see cref="Max"/>, 1). Using the bucket's upper edge keeps every fraction
    /// exact: no recorded value in the bucket exceeds it. Empty when nothing was recorded.
    /// </summary>
    public IReadOnlyList<(long Value, double Fraction)> CumulativeDistribution()
    {
        if (Count == 0)
        {
            return [];
        }

        var points = new List<(long Value, double Fraction)> { (Min, 0) };
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            if (_counts[i] == 0)
            {
                continue;
            }

            seen += _counts[i];

            // The last bucket also holds every value beyond the covered range, so its edge is the maximum.
            long upper = i == BucketCount - 1 ? Max : Math.Clamp(LowerBound(i) + Width(i) - 1, Min, Max);
            points.Add((upper, (double)seen / Count));
        }

        return points;
    }

    public static int IndexOf(long value)
    {
        if (value < ExactLimit)
        {
            return (int)value;
        }

        int msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int shift = msb - SubBucketBits;
        if (shift > MaxShift)
        {
            return BucketCount - 1;
        }

        // value >> shift keeps the top 8 bits: 128..255.
        return ExactLimit + ((shift - 1) * SubBucketCount) + (int)(value >> shift) - SubBucketCount;
    }

    public static long LowerBound(int index)
    {
        if (index < ExactLimit)
        {
            return index;
        }

        int k = index - ExactLimit;
        int shift = (k / SubBucketCount) + 1;
        long top = (k % SubBucketCount) + SubBucketCount;
        return top << shift;
    }

    public static long Width(int index) => index < ExactLimit ? 1 : 1L << (((index - ExactLimit) / SubBucketCount) + 1);
}
