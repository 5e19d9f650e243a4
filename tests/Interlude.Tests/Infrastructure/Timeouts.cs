namespace Interlude.Tests.Infrastructure;

/// <summary>
/// Hang guards. They only turn a bug that would hang into a failure; no test measures time with them, so they
/// are far longer than anything should take on a busy two-core machine.
/// </summary>
internal static class Timeouts
{
    /// <summary>The longest any single await in a test may take.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <summary>The longest a condition polled by <see cref="Eventually"/> may take to become true.</summary>
    public static readonly TimeSpan Condition = TimeSpan.FromSeconds(30);

    public static Task Guarded(this Task task) => task.WaitAsync(Generous);

    public static Task<T> Guarded<T>(this Task<T> task) => task.WaitAsync(Generous);

    public static Task Guarded(this ValueTask task) => task.AsTask().WaitAsync(Generous);

    public static Task<T> Guarded<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Generous);
}
