namespace Interlude.Offload;

/// <summary>
/// What a device needs to know about an operation before it touches it, packed into the 64-bit stamp of the
/// submission ring's slot: whether it carries a payload (a work function or a request the device must read), and
/// the device-defined argument it was submitted with. A device that only needs the argument (a simulated delay,
/// a doorbell) then never reads the operation object, so its cache lines stay with the loop that owns it instead
/// of being shared with the device's core and pulled back when the loop reaps it.
/// </summary>
/// <remarks>Layout: bit 62 set when there is a payload; bits 0-61 the argument.</remarks>
internal static class OperationDescriptor
{
    /// <summary>The largest argument an operation can carry.</summary>
    internal const long MaxArgument = HasPayloadBit - 1;

    private const long HasPayloadBit = 1L << 62;

    /// <param name="hasPayload">Whether the device must read the operation (its work function or request).</param>
    /// <param name="argument">The device-defined argument, in [0, <see cref="MaxArgument"/>].</param>
    internal static long Pack(bool hasPayload, long argument)
        => (hasPayload ? HasPayloadBit : 0) | (argument & MaxArgument);

    internal static bool HasPayload(long descriptor) => (descriptor & HasPayloadBit) != 0;

    internal static long Argument(long descriptor) => descriptor & MaxArgument;
}
