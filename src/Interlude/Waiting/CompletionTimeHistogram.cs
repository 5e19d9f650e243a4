using System.Numerics;

namespace Interlude.Waiting;

/// <summary>
/// Decayed histogram of offload completion latencies (Stopwatch ticks) in buckets an eighth of an octave wide,
/// so the adaptive policy can ask how much longer an offload that has already waited some time is likely to take,
/// even when the loop's offloads mix very different lengths. Owner loop only; allocates once.
/// </summary>
internal sealed class CompletionTimeHistogram
{
    private const int SubBits = 3;
    private const int Sub = 1 << SubBits;
    private const int MaxOctave = 41; // 2^42 ticks: over an hour at a nanosecond tick
    private const int BucketCount = (MaxOctave - SubBits + 2) * Sub;

    // Every DecayEvery samples all counts halve, so the histogram follows a workload that changes.
    private const int DecayEvery = 256;

    private readonly double[] _counts = new double[BucketCount];
    private double _total;
    private int _sinceDecay;

    /// <summary>The decayed number of samples.</summary>
    internal double Total => _total;

    internal void Record(long ticks)
    {
        _counts[Bucket(ticks)] += 1;
        _total += 1;
        if (++_sinceDecay == DecayEvery)
        {
            _sinceDecay = 0;
            _total = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                _counts[i] *= 0.5;
                _total += _counts[i];
            }
        }
    }

    /// <summary>
    /// For an offload outstanding for <paramref name="ageTicks"/>, the time left until a share
    /// <paramref name="quantile"/> of the past offloads that lasted at least that long had completed; -1 when none
    /// did (the offload is older than anything seen). The answer is the bucket's upper edge, or with
    /// <paramref name="lowerEdge"/> its lower edge (never before the age): the latest or earliest the quantile can be.
    /// </summary>
    internal long Remaining(long ageTicks, double quantile, bool lowerEdge = false)
    {
        ageTicks = Math.Max(0, ageTicks);
        int first = Bucket(ageTicks);
        double below = 0;
        for (int i = 0; i < first; i++)
        {
            below += _counts[i];
        }

        // The bucket holding the age counts only for the part of it still ahead.
        long lower = LowerBound(first);
        long upper = UpperBound(first);
        double ahead = _counts[first] * (upper - ageTicks) / Math.Max(1, upper - lower);
        double survivors = Math.Max(0, _total - below - _counts[first]) + ahead;
        if (survivors < 0.5)
        {
            return -1;
        }

        double target = quantile * survivors;
        double sum = ahead;
        if (sum >= target && ahead > 0)
        {
            return lowerEdge ? 0 : upper - ageTicks;
        }

        for (int i = first + 1; i < _counts.Length; i++)
        {
            sum += _counts[i];
            if (sum >= target && _counts[i] > 0)
            {
                return (lowerEdge ? LowerBound(i) : UpperBound(i)) - ageTicks;
            }
        }

        return -1;
    }

    internal static int Bucket(long ticks)
    {
        if (ticks < Sub)
        {
            return (int)Math.Max(0, ticks);
        }

        int octave = BitOperations.Log2((ulong)ticks);
        if (octave > MaxOctave)
        {
            return BucketCount - 1;
        }

        int sub = (int)(ticks >> (octave - SubBits)) & (Sub - 1);
        return ((octave - SubBits + 1) * Sub) + sub;
    }

    internal static long LowerBound(int bucket)
    {
        if (bucket < Sub)
        {
            return bucket;
        }

        int octave = (bucket / Sub) + SubBits - 1;
        return (long)(Sub + (bucket % Sub)) << (octave - SubBits);
    }

    internal static long UpperBound(int bucket)
    {
        if (bucket < Sub)
        {
            return bucket + 1;
        }

        int octave = (bucket / Sub) + SubBits - 1;
        return (long)(Sub + (bucket % Sub) + 1) << (octave - SubBits);
    }
}
