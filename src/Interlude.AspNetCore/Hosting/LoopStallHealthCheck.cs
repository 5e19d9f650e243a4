using System.Diagnostics;
using Interlude;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Interlude.AspNetCore.Hosting;

/// <summary>
/// Unhealthy while a loop of the group has made no progress for longer than a threshold (a blocking call or a
/// runaway computation on a loop stalls every connection on it). It follows the
/// group's stall detector (<see cref="LoopGroup.Stalled"/>), so it costs nothing while the loops make progress; with
/// the detector off (<see cref="LoopGroupOptions.StallThreshold"/> zero) it can see no stall and says so.
/// </summary>
internal sealed class LoopStallHealthCheck : IHealthCheck
{
    private readonly LoopGroup _group;
    private readonly TimeSpan _threshold;
    private readonly bool _detectorOff;

    // Per loop: when its current stall began (a Stopwatch timestamp), 0 when it is not stalled. Written by the
    // stall detector's thread through the Stalled event, read by health check calls on any thread.
    private readonly long[] _stalledSince;

    public LoopStallHealthCheck(LoopGroup group, TimeSpan threshold, bool detectorOff)
    {
        _group = group;
        _threshold = threshold;
        _detectorOff = detectorOff;
        _stalledSince = new long[group.Count];
        group.Stalled += OnStalled;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        long now = Stopwatch.GetTimestamp();
        var data = new Dictionary<string, object> { ["loops"] = _group.Count, ["threshold_ms"] = _threshold.TotalMilliseconds };
        int worst = -1;
        TimeSpan worstFor = TimeSpan.Zero;
        for (int i = 0; i < _stalledSince.Length; i++)
        {
            long since = Volatile.Read(ref _stalledSince[i]);
            if (since != 0 && Stopwatch.GetElapsedTime(since, now) is var stalledFor && stalledFor > worstFor)
            {
                worst = i;
                worstFor = stalledFor;
            }
        }

        if (worst >= 0 && worstFor > _threshold)
        {
            data["stalled_loop"] = worst;
            data["stalled_ms"] = worstFor.TotalMilliseconds;
            return Task.FromResult(new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Interlude loop {worst} has made no progress for {worstFor.TotalMilliseconds:F0} ms (threshold {_threshold.TotalMilliseconds:F0} ms): every connection on it waits.",
                data: data));
        }

        string description = _detectorOff
            ? "Stall detection is off (LoopGroupOptions.StallThreshold is zero): stalls cannot be seen."
            : $"Every one of the {_group.Count} Interlude loops is making progress.";
        return Task.FromResult(HealthCheckResult.Healthy(description, data));
    }

    private void OnStalled(object? sender, LoopStallEventArgs stall)
    {
        long since = stall.HasEnded ? 0 : Stopwatch.GetTimestamp() - (long)(stall.StalledFor.TotalSeconds * Stopwatch.Frequency);
        Volatile.Write(ref _stalledSince[stall.LoopIndex], since);
    }
}
