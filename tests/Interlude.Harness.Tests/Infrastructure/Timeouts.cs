namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>
/// Hang guards. They only turn a hang into a failure; no test measures time with them, so they are far longer
/// than anything should take on a busy two-core machine.
/// </summary>
internal static class Timeouts
{
    /// <summary>The longest one short measuring run (a few points of a benchmark section) may take.</summary>
    public static readonly TimeSpan BenchRun = TimeSpan.FromMinutes(2);
}
