namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>
/// Exact percentiles of a sorted array by the nearest-rank rule, the rule the histogram documents: the value at
/// quantile q is the one of rank ceil(q * n), counting from 1, with the rank held within 1..n.
/// </summary>
internal static class SortedReference
{
    public static long ValueAtQuantile(long[] sorted, double quantile)
    {
        if (sorted.Length == 0)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        long rank = Math.Clamp((long)Math.Ceiling(quantile * sorted.Length), 1, sorted.Length);
        return sorted[rank - 1];
    }
}
