namespace Interlude.Cli.Tests.Infrastructure;

/// <summary>
/// Hang guards. They only turn a hang into a failure; no test measures time with them, so they are far longer
/// than anything should take on a busy two-core machine.
/// </summary>
internal static class Timeouts
{
    /// <summary>The longest one in-process run of the command may take, the demo included.</summary>
    public static readonly TimeSpan CommandRun = TimeSpan.FromMinutes(2);
}
