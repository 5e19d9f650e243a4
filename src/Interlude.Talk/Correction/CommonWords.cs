using System.Collections.Frozen;
using System.Reflection;

namespace Interlude.Talk.Correction;

/// <summary>The common English words the term pass leaves alone (the embedded common-words.txt).</summary>
internal static class CommonWords
{
    private static readonly FrozenSet<string> s_words = Load();

    public static bool Contains(string word) => s_words.Contains(word.ToLowerInvariant());

    private static FrozenSet<string> Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Interlude.Talk.Correction.common-words.txt")
            ?? throw new InvalidOperationException("The common-words resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            foreach (string word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                words.Add(word);
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
