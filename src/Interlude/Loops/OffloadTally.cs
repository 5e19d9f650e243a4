using System.Runtime.InteropServices;

namespace Interlude.Loops;

/// <summary>
/// What a loop's <see cref="CompletionHub"/> keeps about its offloads as a whole, on cache lines of its own: the
/// loop writes it on every submission and completion, and device threads read the hub's other fields on every
/// completion they publish. The fields sit 64 bytes or more from either end, since an object is only 8-byte aligned.
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

    /// <summary>Channels in <see cref="Doorbells"/> (see <see cref="CompletionHub.RingDoorbells"/>); written by the loop on every step that submits.</summary>
    [FieldOffset(84)]
    public int DoorbellCount;

    /// <summary>Channels that pushed since the loop last fenced, whose consumers it has yet to look at again.</summary>
    [FieldOffset(88)]
    public ICompletionQueue?[]? Doorbells;
}
