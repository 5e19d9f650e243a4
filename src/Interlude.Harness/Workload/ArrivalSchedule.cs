using System.Diagnostics;

namespace Interlude.Harness.Workload;

/// <summary>
/// An open loop's arrivals: Poisson at a target rate (exponential gaps with mean 1/rate, from a fixed seed, so
/// every mode gets the same schedule), covering the warm-up and the measured period. Workers take arrivals in
/// order from a shared counter, so each is served once and none is served before its time.
/// </summary>
/// <remarks>
/// The offsets and <see cref="MeasuredFrom"/> are fixed at construction. <see cref="Origin"/> is written once by
/// the controlling thread before the workers start (starting them orders the write before their reads). The
/// counter is shared by every worker and advanced only with <see cref="Interlocked"/>.
/// </remarks>
public sealed class ArrivalSchedule
{
    private readonly long[] _offsets;
    private long _next;

    /// <param name="rateRps">Arrivals per second on average.</param>
    /// <param name="warmUp">The first period, whose arrivals are not counted.</param>
    /// <param name="duration">The measured period after it.</param>
    public ArrivalSchedule(double rateRps, TimeSpan warmUp, TimeSpan duration, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rateRps);
        var random = new Random(seed);
        double meanGapTicks = Stopwatch.Frequency / rateRps;
        long warmUpTicks = (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        long endTicks = warmUpTicks + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var offsets = new List<long>((int)Math.Min(1 << 24, rateRps * (warmUp + duration).TotalSeconds * 1.1) + 1);
        double t = 0;
        while (true)
        {
            t += -meanGapTicks * Math.Log(1.0 - random.NextDouble());
            if (t >= endTicks)
            {
                break;
            }

            offsets.Add((long)t);
        }

        // A measured period with no arrival at all would measure nothing; give it one at its start.
        if (offsets.Count == 0 || offsets[^1] < warmUpTicks)
        {
            offsets.Add(warmUpTicks);
        }

        _offsets = [.. offsets];
        int measuredFrom = offsets.BinarySearch(warmUpTicks);
        MeasuredFrom = measuredFrom >= 0 ? FirstAt(measuredFrom) : ~measuredFrom;
    }

    /// <summary>Arrivals in the schedule, warm-up included.</summary>
    public long Count => _offsets.Length;

    /// <summary>Index of the first arrival of the measured period: the ones before it are warm-up.</summary>
    public long MeasuredFrom { get; }

    /// <summary>The Stopwatch timestamp the offsets count from; set by <see cref="Start"/>.</summary>
    public long Origin { get; private set; }

    /// <summary>Controlling thread, before the workers start: the schedule begins now.</summary>
    public void Start() => Origin = Stopwatch.GetTimestamp();

    /// <summary>Any worker: takes the next arrival; false when the schedule is exhausted.</summary>
    /// <param name="index">The arrival's number, from 0 (also the request's index).</param>
    /// <param name="due">Its scheduled time, as a Stopwatch timestamp.</param>
    public bool TryTake(out long index, out long due)
    {
        index = Interlocked.Increment(ref _next) - 1;
        if (index >= _offsets.Length)
        {
            due = 0;
            return false;
        }

        due = Origin + _offsets[index];
        return true;
    }

    private int FirstAt(int found)
    {
        while (found > 0 && _offsets[found - 1] == _offsets[found])
        {
            found--;
        }

        return found;
    }
}
