using System.Runtime.InteropServices;

namespace Interlude.Offload;

/// <summary>
/// A device worker's list of channels it published completions to, seeing their loops awake, since its last fence
/// (<see cref="DeviceWorker"/> fences once after each call into its model and then signals them). Worker thread
/// only, on lines of its own: submitting loops read the worker object on every submission (its parker), and the
/// worker writes the count on every call that publishes. An object is only 8-byte aligned, so the fields sit 64
/// bytes or more from either end.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct WorkerSignalState
{
    [FieldOffset(64)]
    public DeviceChannel[]? Channels;

    [FieldOffset(72)]
    public int Count;
}
