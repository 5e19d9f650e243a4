using Interlude.Loops;

namespace Interlude;

/// <summary>The coroutine and poller API of <see cref="Loop"/>: what code running on, or handing work to, a loop calls.</summary>
public sealed partial class Loop
{
    /// <summary>Suspends the calling coroutine and resumes it after the work already queued on its loop.</summary>
    public static LoopYieldAwaitable Yield() => default;

    /// <summary>Starts a coroutine on this loop; its exceptions are reported through the group.</summary>
    public void Spawn(Func<ValueTask> coroutine)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        CoroutineRunner<Func<ValueTask>>.Spawn(this, static f => f(), coroutine);
    }

    /// <summary>Starts a coroutine on this loop with explicit state, so no closure is allocated.</summary>
    public void Spawn<TState>(Func<TState, ValueTask> coroutine, TState state)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        CoroutineRunner<TState>.Spawn(this, coroutine, state);
    }

    /// <summary>Starts a coroutine on this loop and returns a task that observes its outcome.</summary>
    public Task RunAsync(Func<ValueTask> coroutine)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        return CoroutineTask.Run(this, coroutine);
    }

    /// <summary>Starts a coroutine on this loop and returns a task that observes its result.</summary>
    public Task<T> RunAsync<T>(Func<ValueTask<T>> coroutine)
    {
        ArgumentNullException.ThrowIfNull(coroutine);
        return CoroutineTask.Run(this, coroutine);
    }

    /// <summary>
    /// Completes after <paramref name="delay"/>, driven by this loop's timer poller. Called off this loop's
    /// thread it falls back to <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.
    /// </summary>
    public ValueTask Delay(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        if (delay < TimeSpan.Zero && delay != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "The delay must be non-negative or infinite.");
        }

        return IsCurrent ? _timers.Delay(delay, cancellationToken) : new ValueTask(Task.Delay(delay, cancellationToken));
    }

    /// <summary>
    /// Any thread: ends the loop's current sleep, or its next one if it is awake. A poller's completion source
    /// calls it after publishing a completion, when it finds the poller armed (see <see cref="ILoopPoller"/>).
    /// Costs one atomic exchange, and a system call only when the loop really sleeps.
    /// </summary>
    public void Wake() => Parker.Unpark();

    /// <summary>
    /// Adds a poller to this loop: from then on the loop polls it every iteration and asks it to arm before it
    /// sleeps. From another thread the addition is posted to the loop.
    /// </summary>
    public void AddPoller(ILoopPoller poller)
    {
        ArgumentNullException.ThrowIfNull(poller);
        if (IsCurrent)
        {
            _pollers = [.. _pollers, poller];
        }
        else
        {
            Schedule(static s => ((PollerChange)s!).Apply(), new PollerChange(this, poller, Add: true));
        }
    }

    /// <summary>
    /// Removes a poller from this loop and calls its <see cref="ILoopPoller.OnRemoved"/>. From another thread the
    /// removal is posted to the loop.
    /// </summary>
    public void RemovePoller(ILoopPoller poller)
    {
        ArgumentNullException.ThrowIfNull(poller);
        if (IsCurrent)
        {
            if (Array.IndexOf(_drivers, poller) >= 0)
            {
                throw new InvalidOperationException("A loop's own drivers cannot be removed.");
            }

            int before = _pollers.Length;
            _pollers = Array.FindAll(_pollers, p => !ReferenceEquals(p, poller));
            if (_pollers.Length < before)
            {
                poller.OnRemoved();
            }
        }
        else
        {
            Schedule(static s => ((PollerChange)s!).Apply(), new PollerChange(this, poller, Add: false));
        }
    }

    private sealed record PollerChange(Loop Loop, ILoopPoller Poller, bool Add)
    {
        internal void Apply()
        {
            if (Add)
            {
                Loop.AddPoller(Poller);
            }
            else
            {
                Loop.RemovePoller(Poller);
            }
        }
    }
}
