using System.Diagnostics;

namespace Interlude.Sockets;

/// <summary>
/// A framed server's timeouts in Stopwatch ticks, and the heartbeat interval that enforces them.
/// </summary>
/// <remarks>
/// Connections stamp their events with their loop's heartbeat clock, which can be up to one interval old, so each
/// limit here carries one interval of slack: a connection is never closed before its timeout has really passed,
/// and at most two intervals after.
/// </remarks>
internal sealed class FramedTimeouts
{
    private FramedTimeouts(FramedServerOptions options)
    {
        bool rate = options.MinDataRate > 0;
        long shortest = long.MaxValue;
        foreach (TimeSpan limit in new[] { options.IdleTimeout, options.HeaderTimeout, options.FrameTimeout, rate ? options.MinDataRateGracePeriod : Timeout.InfiniteTimeSpan })
        {
            if (limit != Timeout.InfiniteTimeSpan)
            {
                shortest = Math.Min(shortest, ToTicks(limit));
            }
        }

        Enabled = shortest != long.MaxValue || rate;
        long second = Stopwatch.Frequency;
        long millisecond = Math.Max(1, second / 1000);
        IntervalTicks = Math.Clamp(shortest == long.MaxValue ? second : shortest / 4, millisecond, second);
        Interval = TimeSpan.FromSeconds((double)IntervalTicks / Stopwatch.Frequency);
        Idle = WithSlack(options.IdleTimeout);
        Header = WithSlack(options.HeaderTimeout);
        Frame = WithSlack(options.FrameTimeout);
        Grace = ToTicks(options.MinDataRateGracePeriod) + IntervalTicks;
        MinBytesPerTick = rate ? options.MinDataRate / Stopwatch.Frequency : 0;
    }

    /// <summary>Whether any limit is on; without one, connections are not tracked at all.</summary>
    internal bool Enabled { get; }

    /// <summary>How often each loop checks its connections.</summary>
    internal TimeSpan Interval { get; }

    internal long IntervalTicks { get; }

    internal long Idle { get; }

    internal long Header { get; }

    internal long Frame { get; }

    internal long Grace { get; }

    /// <summary>The minimum data rate in bytes per Stopwatch tick; 0 when off.</summary>
    internal double MinBytesPerTick { get; }

    internal static FramedTimeouts From(FramedServerOptions options) => new(options);

    private static long ToTicks(TimeSpan value) => (long)(value.TotalSeconds * Stopwatch.Frequency);

    private long WithSlack(TimeSpan limit) => limit == Timeout.InfiniteTimeSpan ? long.MaxValue : ToTicks(limit) + IntervalTicks;
}
