using System.Globalization;
using System.Text;

namespace Interlude.Harness.OpenLoop;

/// <summary>
/// What <see cref="OpenLoopClient"/> saw, request by request, in schedule order: when each was due, its status (-1 when
/// it failed without one) and its latency from the time it was due (not from when a connection took it), so waiting
/// behind a slow response is part of the figure.
/// </summary>
public sealed class OpenLoopClientResult
{
    public OpenLoopClientResult(DateTimeOffset startedAt, long[] scheduledNs, int[] statuses, long[] latenciesUs)
    {
        StartedAt = startedAt;
        ScheduledNs = scheduledNs;
        Statuses = statuses;
        LatenciesUs = latenciesUs;
        long last = 0;
        for (int i = 0; i < scheduledNs.Length; i++)
        {
            last = Math.Max(last, scheduledNs[i] + (latenciesUs[i] * 1000));
        }

        FinishedSeconds = last / 1e9;
    }

    /// <summary>The wall-clock time of the schedule's zero.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When each request was due, in nanoseconds from the start.</summary>
    public IReadOnlyList<long> ScheduledNs { get; }

    /// <summary>Each request's HTTP status; -1 for one that failed without a response.</summary>
    public IReadOnlyList<int> Statuses { get; }

    /// <summary>Each request's microseconds from when it was due to the end of its response.</summary>
    public IReadOnlyList<long> LatenciesUs { get; }

    /// <summary>From the start to the end of the last response, in seconds.</summary>
    public double FinishedSeconds { get; }

    /// <summary>
    /// The requests as h2load's <c>--log-file</c> writes them, one tab-separated line each: when it was due
    /// (microseconds since the epoch), its status, its latency in microseconds.
    /// </summary>
    public string ToLog()
    {
        long epochUs = (StartedAt.ToUnixTimeMilliseconds() * 1000) + (StartedAt.Ticks % TimeSpan.TicksPerMillisecond / 10);
        var log = new StringBuilder(ScheduledNs.Count * 32);
        for (int i = 0; i < ScheduledNs.Count; i++)
        {
            log.Append(CultureInfo.InvariantCulture, $"{epochUs + (ScheduledNs[i] / 1000)}\t{Statuses[i]}\t{LatenciesUs[i]}\n");
        }

        return log.ToString();
    }
}
