namespace Interlude.Cuda.Completion;

/// <summary>
/// How a poller whose producer cannot see the loop's armed flag (a GPU writing a word) gets a sleeping loop woken:
/// the loop, about to sleep with work in flight, asks for one wake after everything submitted so far (on a real
/// stream: cuLaunchHostFunc, which runs after the stream's earlier work). The wake calls
/// <see cref="SequencePoller{T}.OnPublished"/>.
/// </summary>
internal interface IWakeRequest
{
    /// <summary>Loop thread, while arming: arrange one call to <see cref="SequencePoller{T}.OnPublished"/> after the work submitted so far.</summary>
    void RequestWake();
}
