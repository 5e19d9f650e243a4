namespace Interlude.Loops;

/// <summary>
/// Coroutines whose outcome the caller observes as a <see cref="Task"/>. The coroutine still runs through
/// the fire-and-forget path, so its failure is also counted and reported.
/// </summary>
internal static class CoroutineTask
{
    internal static Task Run(Loop loop, Func<ValueTask> coroutine)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Spawn(
            static async state =>
            {
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
            (coroutine, completion));
        return completion.Task;
    }

    internal static Task<T> Run<T>(Loop loop, Func<ValueTask<T>> coroutine)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Spawn(
            static async state =>
            {
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
            (coroutine, completion));
        return completion.Task;
    }
}
