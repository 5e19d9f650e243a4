namespace Interlude.BlockingThreads;

/// <summary>
/// The baseline a <see cref="CompletionDispatcher"/> is measured against: the calling thread blocks on its own
/// wake word and the device thread that completes the offload wakes it directly (usually from another core).
/// Same operation, queue and sleep as the dispatcher's path; only the wake differs.
/// </summary>
internal static class DirectWakeOffload
{
    [ThreadStatic]
    private static OwnerSlot? t_slot;

    /// <summary>Runs <paramref name="work"/> on <paramref name="accelerator"/>, blocking the calling thread until it is done.</summary>
    internal static TResult Offload<TState, TResult>(Accelerator accelerator, Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default)
    {
        if (Loop.Current is not null)
        {
            throw new InvalidOperationException("A blocking offload must not run on a loop thread.");
        }

        OwnerSlot slot = t_slot ??= new OwnerSlot(dispatcher: null, index: 0, Thread.CurrentThread);
        return slot.Offload(accelerator, work, state, cancellationToken);
    }
}
