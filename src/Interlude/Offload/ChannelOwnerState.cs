using System.Runtime.InteropServices;

namespace Interlude.Offload;

/// <summary>
/// The fields of a <see cref="DeviceChannel"/> that its loop writes on every operation, on cache lines of their
/// own. Left to the runtime's automatic layout they would share a line with the ring references the device
/// thread reads on every operation, and each write would cost the device a cache miss.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct ChannelOwnerState
{
    [FieldOffset(64)]
    public OffloadOperation? WaitingHead;

    [FieldOffset(72)]
    public OffloadOperation? WaitingTail;

    [FieldOffset(80)]
    public OffloadOperation? OutstandingHead;

    // Operations pushed into the submission ring and not yet reaped (at most the ring's capacity).
    [FieldOffset(88)]
    public int InRings;

    [FieldOffset(92)]
    public int PeakInRings;

    // Operations in the FIFO waiting for ring space (at most the options' MaxQueuedSubmissions).
    [FieldOffset(96)]
    public int Waiting;
}
