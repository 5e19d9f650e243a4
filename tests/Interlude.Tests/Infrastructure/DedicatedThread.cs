namespace Interlude.Tests.Infrastructure;

/// <summary>
/// Runs blocking code on a new thread of its own, never a ThreadPool thread: the code may pin its thread or
/// block it, and the thread ends with the code. The task completes with the code's outcome.
/// </summary>
internal static class DedicatedThread
{
    public static Task<T> Run<T>(Func<T> body, string name)
    {
        var outcome = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                outcome.SetResult(body());
            }
            catch (Exception ex)
            {
                outcome.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return outcome.Task;
    }

    public static Task Run(Action body, string name) => Run(() =>
    {
        body();
        return true;
    }, name);
}
