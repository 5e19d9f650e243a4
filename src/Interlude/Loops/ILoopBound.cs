namespace Interlude.Loops;

/// <summary>A poller whose life is tied to its loop's: it can fail its pending work at shutdown and detach on exit.</summary>
internal interface ILoopBound
{
    /// <summary>Loop thread. Fails every pending operation with cancellation; returns how many.</summary>
    int CancelPending(CancellationToken token);

    /// <summary>Loop thread, as the loop exits: release whatever refers to the loop.</summary>
    void OnLoopExit();
}
