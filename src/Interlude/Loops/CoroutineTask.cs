namespace Interlude.Loops;

/// <summary>
/// Coroutines whose outcome the caller observes as a <see cref="Task"/>. The coroutine still runs through
/// the fire-and-forget path, so its failure is also counted and reported.
/// </summary>
internal static class CoroutineTask
{
    private static readonly Action<object?> s_abandon = static s => ((TaskCompletionSource)s!).TrySetException(Abandoned());
    private static readonly Action<object?> s_abandonT = static s => ((IAbandonable)s!).Abandon();

    internal static Task Run(Loop loop, Func<ValueTask> coroutine)
    {
        loop.Group.ThrowIfNotAccepting(loop);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A coroutine that a stop abandons never resumes: its task then completes from the group's stop instead.
        CancellationTokenRegistration abandoned = loop.Group.Abandoning.UnsafeRegister(s_abandon, completion);
        loop.Spawn(
            static async state =>
            {
                using CancellationTokenRegistration _ = state.abandoned;
                try
                {
                    await state.coroutine().ConfigureAwait(true);
                    state.completion.TrySetResult();
                }
                catch (OperationCanceledException ex)
                {
                    state.completion.TrySetCanceled(ex.CancellationToken);
                    throw;
                }
                catch (Exception ex)
                {
                    state.completion.TrySetException(ex);
                    throw;
                }
            },
            (coroutine, completion, abandoned));
        return completion.Task;
    }

    internal static Task<T> Run<T>(Loop loop, Func<ValueTask<T>> coroutine)
    {
        loop.Group.ThrowIfNotAccepting(loop);
        var completion = new Completion<T>();
        CancellationTokenRegistration abandoned = loop.Group.Abandoning.UnsafeRegister(s_abandonT, completion);
        loop.Spawn(
            static async state =>
            {
                using CancellationTokenRegistration _ = state.abandoned;
                try
                {
                    state.completion.TrySetResult(await state.coroutine().ConfigureAwait(true));
                }
                catch (OperationCanceledException ex)
                {
                    state.completion.TrySetCanceled(ex.CancellationToken);
                    throw;
                }
                catch (Exception ex)
                {
                    state.completion.TrySetException(ex);
                    throw;
                }
            },
            (coroutine, completion, abandoned));
        return completion.Task;
    }

    private static OperationCanceledException Abandoned()
        => new("The loop group stopped while the coroutine was still suspended: it was abandoned and will not resume.");

    private interface IAbandonable
    {
        void Abandon();
    }

    private sealed class Completion<T>() : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), IAbandonable
    {
        public void Abandon() => TrySetException(Abandoned());
    }
}
