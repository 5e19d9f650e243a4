namespace Interlude.Harness.Workload;

/// <summary>Turns request indices and digests into well-spread 64-bit values (SplitMix64's finaliser).</summary>
public static class RequestDigest
{
    public static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
