namespace Interlude.Harness.Wake;

/// <summary>
/// The baseline a <see cref="CompletionDispatcher"/> is measured against: the calling thread blocks on its own
/// <see cref="FastWakeEvent"/>, and the device thread that completes the offload sets it directly (usually from
/// another core). Same device and sleep as the dispatcher's path; only the wake differs. One per thread.
/// </summary>
/// <remarks>
/// The device must be created with <see cref="AcceleratorOptions.UnsafeInlineCompletions"/>, so that the
/// continuation, which does nothing but set the event, runs on the device thread instead of a ThreadPool thread.
/// </remarks>
public sealed class DirectWakeOffload
{
    // Waited on by the owning thread; set by the device thread when the offload completes. Auto-reset: each
    // offload that suspends sets it once and its wait consumes that signal.
    private readonly FastWakeEvent _done = new();

    // Cached so that registering the continuation allocates nothing per offload.
    private readonly Action _release;

    public DirectWakeOffload() => _release = _done.Set;

    /// <summary>Runs <paramref name="work"/> on <paramref name="device"/>, blocking the calling thread until it is done.</summary>
    public TResult Offload<TState, TResult>(Accelerator device, Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default)
    {
        if (Loop.Current is not null)
        {
            throw new InvalidOperationException("A blocking offload must not run on a loop thread.");
        }

        ValueTask<TResult> offload = device.SubmitAsync(work, state, cancellationToken);
        if (!offload.IsCompleted)
        {
            offload.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_release);
            _done.Wait();
        }

        // The result, or the work's exception, the device's error or the cancellation.
        return offload.GetAwaiter().GetResult();
    }
}
