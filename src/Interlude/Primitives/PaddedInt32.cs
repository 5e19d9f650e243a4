using System.Runtime.InteropServices;

namespace Interlude.Primitives;

/// <summary>An int alone on its cache line, for flags written by one core and read by another.</summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct PaddedInt32
{
    [FieldOffset(64)]
    public int Value;
}
