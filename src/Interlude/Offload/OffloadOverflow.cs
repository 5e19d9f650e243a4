namespace Interlude;

/// <summary>
/// What a submission does when its loop's rings to the device are full and the queue of submissions waiting for
/// ring space is at <see cref="AcceleratorOptions.MaxQueuedSubmissions"/>. Below that bound a submission always
/// waits, suspended, in order.
/// </summary>
public enum OffloadOverflow
{
    /// <summary>The new submission fails at once with <see cref="AcceleratorOverloadedException"/>.</summary>
    Reject,

    /// <summary>
    /// The oldest waiting submission fails with <see cref="AcceleratorOverloadedException"/> and the new one takes
    /// its place at the back: under sustained overload the work that is done is the freshest.
    /// </summary>
    ShedOldest,
}
