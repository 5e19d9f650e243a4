namespace Interlude.Loops;

/// <summary>Something registered in a loop's epoll set: told, on the loop, which events fired.</summary>
internal interface IEpollTarget
{
    /// <summary>Loop thread, from <see cref="EpollPoller.Poll"/>: the epoll event mask for this target.</summary>
    void OnEvents(uint events);

    /// <summary>Loop thread, at shutdown: fail every pending wait with cancellation; returns how many.</summary>
    int CancelWaits(CancellationToken token);

    /// <summary>Loop thread, as the loop exits: release the descriptor.</summary>
    void OnLoopExit();
}
