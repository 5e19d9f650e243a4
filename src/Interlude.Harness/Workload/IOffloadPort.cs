namespace Interlude.Harness.Workload;

/// <summary>
/// How a request hands its offload to the device and waits for it. Each execution mode supplies its own, so
/// the request handler stays the same code under every mode and does not know which one runs it.
/// </summary>
public interface IOffloadPort
{
    /// <summary>Runs one offload on the device; completes when the device has finished it.</summary>
    ValueTask OffloadAsync();

    /// <summary>
    /// Waits <paramref name="wait"/> for an open loop's next arrival, the same way <see cref="OffloadAsync"/>
    /// waits: the arrival is a device operation that takes that long, so the arrival source costs every mode what
    /// an offload costs it and needs no thread of its own.
    /// </summary>
    ValueTask ArriveAsync(TimeSpan wait);
}
