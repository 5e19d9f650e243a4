using System.Globalization;

namespace Interlude.Harness.Db;

/// <summary>One server bench db starts: its name, transport, the extra arguments it gets and its own environment.</summary>
/// <param name="Name">kestrel-sockets, interlude or interlude-variant.</param>
/// <param name="Transport">sockets or interlude (the app's --transport).</param>
/// <param name="Arguments">Its arguments after the transport, address and connection string, in order: a later one overrides an earlier one of the same key.</param>
/// <param name="Environment">NAME=value pairs set for it alone.</param>
public sealed record DbServerSpec(string Name, string Transport, IReadOnlyList<string> Arguments, IReadOnlyList<string> Environment)
{
    /// <summary>A line for the bench's header: the name, the transport and what else it got.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"  {Name,-17} --transport {Transport}{string.Concat(Arguments.Select(a => " " + a))}{(Environment.Count > 0 ? "; environment " + string.Join(' ', Environment) : "")}");
}
