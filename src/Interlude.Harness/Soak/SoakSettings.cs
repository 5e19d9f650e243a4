namespace Interlude.Harness.Soak;

/// <summary>
/// A soak run: offloads arriving faster than the simulated device can serve them, for a chosen time, with injected
/// device errors and callers that give up after a deadline.
/// </summary>
/// <param name="Duration">How long requests keep arriving.</param>
/// <param name="Overload">Arrival rate over the device's capacity (lanes / service time): 10 is ten times what it can serve.</param>
/// <param name="ServiceTime">Each offload's service time on the device.</param>
/// <param name="Lanes">Operations the device serves at once.</param>
/// <param name="Loops">Loops the requests arrive on.</param>
/// <param name="ErrorRate">Share of operations the device fails (injected errors).</param>
/// <param name="DeadlineShare">Share of requests whose caller gives up after <paramref name="Deadline"/>.</param>
/// <param name="Deadline">How long such a caller waits before cancelling.</param>
/// <param name="Overflow">What a submission does past the device's waiting bound.</param>
/// <param name="MaxQueuedSubmissions">The device's waiting bound per loop.</param>
/// <param name="DeadlockOneLoop">
/// Whether one loop's thread blocks, half-way through the run, on a wait that ends only after the stop (as a
/// sync-over-async wait on that loop's own work would): the stop must still return within its bound.
/// </param>
public sealed record SoakSettings(
    TimeSpan Duration,
    double Overload,
    TimeSpan ServiceTime,
    int Lanes,
    int Loops,
    double ErrorRate,
    double DeadlineShare,
    TimeSpan Deadline,
    OffloadOverflow Overflow,
    int MaxQueuedSubmissions,
    bool DeadlockOneLoop = false)
{
    /// <summary>
    /// The defaults of <c>interlude soak</c>: 10x overload for 60 s, against a device slow enough (1,600 offloads/s)
    /// that the loop itself keeps up with refusing the surplus (each refusal is an exception its caller catches).
    /// </summary>
    public static SoakSettings Default { get; } = new(
        TimeSpan.FromSeconds(60),
        Overload: 10,
        ServiceTime: TimeSpan.FromMilliseconds(5),
        Lanes: 8,
        Loops: 1,
        ErrorRate: 0.01,
        DeadlineShare: 0.2,
        Deadline: TimeSpan.FromMilliseconds(20),
        Overflow: OffloadOverflow.Reject,
        MaxQueuedSubmissions: 4096);

    /// <summary>Operations per second the device can complete.</summary>
    public double Capacity => Lanes / ServiceTime.TotalSeconds;

    /// <summary>Requests arriving per second, over all loops.</summary>
    public double ArrivalRate => Capacity * Overload;
}
