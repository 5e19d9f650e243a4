using System.Runtime.InteropServices;

namespace Interlude.Harness.Measurement;

/// <summary>A long alone on its cache lines (128 bytes, for CPUs that fetch lines in pairs), so two threads handing values back and forth share nothing else.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    [FieldOffset(64)]
    public long Value;
}
