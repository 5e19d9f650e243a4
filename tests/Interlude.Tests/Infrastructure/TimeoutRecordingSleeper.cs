using Interlude.Waiting;

namespace Interlude.Tests.Infrastructure;

/// <summary>
/// A parker sleeper that blocks on a semaphore, as epoll_wait blocks on an eventfd, and records a sleep that
/// ended by its timeout instead of a wake. Used with a hang guard as the timeout, a timed-out sleep is a wake
/// that was lost, found without measuring time.
/// </summary>
internal sealed class TimeoutRecordingSleeper : IParkSleeper, IDisposable
{
    private readonly SemaphoreSlim _wake = new(0);
    private int _timeouts;

    public int Timeouts => Volatile.Read(ref _timeouts);

    public bool Sleep(long timeoutNs)
    {
        if (!_wake.Wait(timeoutNs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(1, timeoutNs / 100))))
        {
            Interlocked.Increment(ref _timeouts);
        }

        return false;
    }

    public void Wake() => _wake.Release();

    public void Dispose() => _wake.Dispose();
}
