namespace Interlude.Talk.Correction;

/// <summary>Levenshtein distance (insertions, deletions and substitutions each cost 1).</summary>
internal static class EditDistance
{
    public static int Between<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
        where T : IEquatable<T>
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (int j = 0; j <= b.Count; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Count; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Count; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1].Equals(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Count];
    }

    public static int Between(string a, string b) => Between(a.ToCharArray(), b.ToCharArray());
}
