using System.Runtime.InteropServices;

namespace Interlude.Offload;

/// <summary>
/// The cancellation count of a <see cref="DeviceChannel"/> and what its device worker last saw of it, each on a
/// line of its own: the loop writes the count only when it cancels an operation, and the worker reads it once a
/// pass, so in steady state the line stays shared and costs nothing.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct ChannelDeviceState
{
    // Written by the owner loop (release) each time it cancels an operation that reached the ring; read by the worker.
    [FieldOffset(64)]
    public long Cancellations;

    // Worker thread only: the count it has acted on.
    [FieldOffset(192)]
    public long SeenCancellations;
}
