namespace Interlude.Gateway.Tests.Infrastructure;

/// <summary>
/// Hang guards only: no test measures time with them, so they are far longer than anything should take on a
/// busy two-core machine.
/// </summary>
internal static class Timeouts
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    public static Task Guarded(this Task task) => task.WaitAsync(Generous);

    public static Task<T> Guarded<T>(this Task<T> task) => task.WaitAsync(Generous);

    public static Task<T> Guarded<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Generous);
}
