using System.Runtime.InteropServices;

namespace Interlude.Primitives;

/// <summary>A long alone on its cache line (128 bytes: adjacent-line prefetch pairs lines on x86).</summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct PaddedInt64
{
    [FieldOffset(64)]
    public long Value;
}
