using Interlude.Waiting;

namespace Interlude.Tests.Infrastructure;

/// <summary>A parker sleeper that blocks on a semaphore until woken or timed out, like epoll_wait on an eventfd.</summary>
internal sealed class BlockingSleeper : IParkSleeper, IDisposable
{
    private readonly SemaphoreSlim _wake = new(0);
    private volatile bool _sleeping;

    public bool Sleeping => _sleeping;

    public bool Sleep(long timeoutNs)
    {
        _sleeping = true;
        _wake.Wait(timeoutNs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(timeoutNs / 100));
        _sleeping = false;
        return false;
    }

    public void Wake() => _wake.Release();

    public void Dispose() => _wake.Dispose();
}
