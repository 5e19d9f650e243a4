namespace Interlude.Harness.Db;

/// <summary>One of the database app's TechEmpower endpoints, by its short name and the path it is requested at.</summary>
/// <param name="Name">plaintext, json, db, queries, fortunes or updates.</param>
/// <param name="Path">The request's path and query.</param>
public sealed record DbEndpoint(string Name, string Path)
{
    /// <summary>Every endpoint, in TechEmpower's order; queries and updates ask for 20 rows, as TechEmpower's middle step does.</summary>
    public static IReadOnlyList<DbEndpoint> All { get; } =
    [
        new("plaintext", "/plaintext"),
        new("json", "/json"),
        new("db", "/db"),
        new("queries", "/queries?queries=20"),
        new("fortunes", "/fortunes"),
        new("updates", "/updates?queries=20"),
    ];

    /// <summary>
    /// Endpoints named in a comma-separated list ("db,fortunes"), in the list's order, each once; "all" is every one.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not an endpoint, or the list is empty.</exception>
    public static IReadOnlyList<DbEndpoint> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        string[] names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new ArgumentException("No endpoint named: use a comma-separated list of " + string.Join(", ", All.Select(e => e.Name)) + ", or all.", nameof(list));
        }

        var result = new List<DbEndpoint>();
        foreach (string name in names)
        {
            if (string.Equals(name, "all", StringComparison.OrdinalIgnoreCase))
            {
                result.AddRange(All.Where(e => !result.Contains(e)));
                continue;
            }

            DbEndpoint endpoint = All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"'{name}' is not an endpoint: use " + string.Join(", ", All.Select(e => e.Name)) + ", or all.", nameof(list));
            if (!result.Contains(endpoint))
            {
                result.Add(endpoint);
            }
        }

        return result;
    }
}
