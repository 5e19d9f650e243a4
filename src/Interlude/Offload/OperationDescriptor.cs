namespace Interlude.Offload;

/// <summary>
/// What a device needs to know about an operation before it runs it, packed into the 64-bit stamp of the
/// submission ring's slot: whether it has a work function, and its own service time (or none). A device that
/// only delays an operation then never reads the operation object, so its cache lines stay with the loop that
/// owns it instead of being shared with the device's core and pulled back when the loop reaps it.
/// </summary>
/// <remarks>Layout: bit 62 set when there is a work function; bits 0-61 the service time in ticks plus one (0: the device's own).</remarks>
internal static class OperationDescriptor
{
    private const long HasWorkBit = 1L << 62;
    private const long TicksMask = HasWorkBit - 1;

    /// <param name="hasWork">Whether the device must run the operation's work function.</param>
    /// <param name="serviceTicks">The operation's own service time, non-negative and at most 2^61 (as
    /// <c>Accelerator.ToServiceTicks</c> caps it), or -1 for the device's own.</param>
    internal static long Pack(bool hasWork, long serviceTicks)
        => (hasWork ? HasWorkBit : 0) | ((serviceTicks + 1) & TicksMask);

    internal static bool HasWork(long descriptor) => (descriptor & HasWorkBit) != 0;

    /// <summary>The service time in ticks, or -1 for the device's own.</summary>
    internal static long ServiceTicks(long descriptor) => (descriptor & TicksMask) - 1;
}
