using System.Runtime.InteropServices;

namespace Interlude.Loops;

/// <summary>
/// What a loop's <see cref="CompletionHub"/> keeps about its offloads as a whole, on cache lines of its own: the
/// loop writes it on every submission and completion, and device threads read the hub's other fields on every
/// completion they publish.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct OffloadTally
{
    /// <summary>Offloads submitted through the loop's channels and not yet reaped, those waiting for ring space included.</summary>
    [FieldOffset(64)]
    public int Outstanding;

    /// <summary>When the loop last submitted an offload (Stopwatch ticks): the adaptive policy's expected-completion anchor.</summary>
    [FieldOffset(72)]
    public long LastSubmitAt;

    /// <summary>Submissions waiting for ring space, over all the loop's channels (written by the loop, read by metrics).</summary>
    [FieldOffset(80)]
    public int Waiting;
}
