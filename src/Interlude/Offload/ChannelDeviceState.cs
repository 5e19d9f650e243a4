using System.Runtime.InteropServices;

namespace Interlude.Offload;

/// <summary>
/// The cancellation count of a <see cref="DeviceChannel"/>, and what its device worker keeps about the channel,
/// each on a line of its own: the loop writes the count only when it cancels an operation, and the worker reads it
/// once a pass, so in steady state the line stays shared and costs nothing.
/// </summary>
/// <remarks>
/// An object is only 8-byte aligned, so a field is alone on its line only with 64 bytes of padding on either side
/// of it: the worker's fields end at least 64 bytes before the struct does, so its writes (one pair per call into
/// the model that publishes) never touch what follows the struct (the rings, allocated right after the channel).
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 320)]
internal struct ChannelDeviceState
{
    // Written by the owner loop (release) each time it cancels an operation that reached the ring; read by the worker.
    [FieldOffset(64)]
    public long Cancellations;

    // Worker thread only: the count it has acted on.
    [FieldOffset(192)]
    public long SeenCancellations;

    // Worker thread only: whether the channel is in its worker's list of channels to signal after its next fence.
    [FieldOffset(200)]
    public bool SignalPending;
}
