namespace Interlude.Harness.Db;

/// <summary>A ratio of two servers' medians on one endpoint, with its target.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Load">closed or open.</param>
/// <param name="Measure">What is divided: requests/s (closed loop) or p99 (open loop).</param>
/// <param name="Numerator">The server divided.</param>
/// <param name="Denominator">The server it is divided by.</param>
/// <param name="Value">The ratio.</param>
/// <param name="Target">The bound.</param>
/// <param name="AtLeast">Whether the ratio must be at least (true) or at most (false) <paramref name="Target"/>.</param>
public sealed record DbRatio(string Endpoint, string Load, string Measure, string Numerator, string Denominator, double Value, double Target, bool AtLeast)
{
    /// <summary>Whether the target is met (a ratio that is not a number is not).</summary>
    public bool Met => !double.IsNaN(Value) && (AtLeast ? Value >= Target : Value <= Target);
}
