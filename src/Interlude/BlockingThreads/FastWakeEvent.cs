using System.Diagnostics;
using Interlude.Offload;
using Interlude.Primitives;
using Interlude.Waiting;

namespace Interlude;

/// <summary>
/// An auto-reset event for plain threads whose <see cref="Set"/> makes a system call only when the waiting
/// thread is actually asleep, and whose <see cref="Wait()"/> can spin for a bounded window before it sleeps.
/// </summary>
/// <remarks>
/// <para>
/// Any number of threads may call <see cref="Set"/>; one thread at a time may wait (a second concurrent waiter
/// gets <see cref="InvalidOperationException"/>). A <see cref="Set"/> with nobody waiting stays latched and the
/// next wait returns at once; several sets before a wait count as one. Each successful wait consumes the signal.
/// Whatever a thread wrote before <see cref="Set"/> is visible to the waiter after its wait returns true.
/// </para>
/// <para>
/// Signalling an awake waiter costs one atomic exchange and one read of the waiter's wake word; the futex wake
/// (about 10 us across cores, 2-3 us on the same core) is paid only when the waiter has gone to sleep. The
/// optional spin window (<see cref="SpinDuration"/>) avoids the sleep altogether when the signal comes within it,
/// at the price of a busy waiting core; on the signaller's own core a spinning waiter only delays the signal.
/// On systems other than Linux the sleep falls back from futex to a monitor (<see cref="UsesFutex"/> is false);
/// the behaviour is the same, the wake slower.
/// </para>
/// </remarks>
public sealed class FastWakeEvent
{
    private static readonly Action<object?> s_wakeOnCancel = static s => ((Parker)s!).Unpark();
    private static readonly long s_maxSpinTicks = Stopwatch.Frequency;

    // The waiter's wake word: slept on by the waiter, moved to NOTIFIED by Set (any thread) and by cancellation.
    private readonly Parker _parker = new();
    private readonly long _spinTicks;

    // The event's state, 1 while set. Set (any thread) exchanges in 1; the waiter exchanges in 0 to consume it.
    // Alone on its cache line: signallers on other cores write it, and the waiter reads it while spinning.
    private PaddedInt32 _signaled;

    // 1 while a thread is inside Wait. Written (exchange, then release) by waiters only; read by nobody else.
    private int _waiterPresent;

    /// <summary>Creates an event that is not set and does not spin before sleeping.</summary>
    public FastWakeEvent()
        : this(initialState: false, TimeSpan.Zero)
    {
    }

    /// <summary>Creates an event.</summary>
    /// <param name="initialState">Whether the event starts set, so the first wait returns at once.</param>
    /// <param name="spinDuration">
    /// How long a wait spins, watching for a signal, before it sleeps: zero (no spin) to one second. Spinning
    /// pays off only when the signaller runs on another core and usually signals within the window.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="spinDuration"/> is negative or over one second.</exception>
    public FastWakeEvent(bool initialState, TimeSpan spinDuration)
    {
        if (spinDuration < TimeSpan.Zero || spinDuration > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(spinDuration), spinDuration, "The spin duration must be between zero and one second.");
        }

        SpinDuration = spinDuration;
        _spinTicks = Math.Min((long)(spinDuration.TotalSeconds * Stopwatch.Frequency), s_maxSpinTicks);
        _signaled.Value = initialState ? 1 : 0;
    }

    /// <summary>
    /// Whether a sleeping waiter is woken through futex (Linux); false where the event falls back to a monitor.
    /// </summary>
    public static bool UsesFutex => Parker.UsesFutex;

    /// <summary>How long a wait spins before it sleeps.</summary>
    /// <remarks>Defaults to zero: a wait that finds the event not set goes straight to sleep.</remarks>
    public TimeSpan SpinDuration { get; }

    /// <summary>Whether the event is set now (a signal nobody has consumed yet).</summary>
    public bool IsSet => Volatile.Read(ref _signaled.Value) != 0;

    /// <summary>
    /// Sets the event: the waiting thread, or the next one to wait, returns. Wakes the waiter through the
    /// operating system only if it sleeps. Any thread; never blocks.
    /// </summary>
    public void Set()
    {
        // The exchange is a full fence: the waiter either sees the signal when it re-checks after announcing
        // its sleep, or this read sees it parked (Parker's protocol), so the wake is never lost.
        if (Interlocked.Exchange(ref _signaled.Value, 1) == 0)
        {
            _parker.UnparkIfParked();
        }
    }

    /// <summary>Waits until the event is set, then consumes the signal.</summary>
    /// <exception cref="InvalidOperationException">Another thread is waiting on this event.</exception>
    public void Wait() => WaitCore(-1, CancellationToken.None);

    /// <summary>Waits until the event is set or <paramref name="timeout"/> passes.</summary>
    /// <param name="timeout">How long to wait: <see cref="Timeout.InfiniteTimeSpan"/>, or zero to <see cref="int.MaxValue"/> milliseconds.</param>
    /// <returns>True if the event was set (the signal is consumed); false if the time ran out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large.</exception>
    /// <exception cref="InvalidOperationException">Another thread is waiting on this event.</exception>
    public bool Wait(TimeSpan timeout) => WaitCore(ToTimeoutNs(timeout), CancellationToken.None);

    /// <summary>Waits until the event is set or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before the event was set.</exception>
    /// <exception cref="InvalidOperationException">Another thread is waiting on this event.</exception>
    public void Wait(CancellationToken cancellationToken) => WaitCore(-1, cancellationToken);

    /// <summary>Waits until the event is set, <paramref name="timeout"/> passes or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="timeout">How long to wait: <see cref="Timeout.InfiniteTimeSpan"/>, or zero to <see cref="int.MaxValue"/> milliseconds.</param>
    /// <param name="cancellationToken">Cancels the wait. A signal that arrives before the waiter wakes wins over a cancellation.</param>
    /// <returns>True if the event was set (the signal is consumed); false if the time ran out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite) or too large.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the event was set.</exception>
    /// <exception cref="InvalidOperationException">Another thread is waiting on this event.</exception>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken) => WaitCore(ToTimeoutNs(timeout), cancellationToken);

    private bool WaitCore(long timeoutNs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _waiterPresent, 1) != 0)
        {
            ThrowConcurrentWaiter();
        }

        try
        {
            if (TryConsume())
            {
                return true;
            }

            if (timeoutNs == 0)
            {
                return false;
            }

            long start = Stopwatch.GetTimestamp();
            long deadline = timeoutNs < 0 ? long.MaxValue : start + Parker.NsToTicks(timeoutNs);
            if (_spinTicks > 0 && Spin(Math.Min(deadline, start + _spinTicks), cancellationToken))
            {
                return true;
            }

            return Sleep(deadline, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _waiterPresent, 0);
        }
    }

    /// <summary>Waiter: watches the signal until <paramref name="until"/>; true if it consumed one.</summary>
    private bool Spin(long until, CancellationToken cancellationToken)
    {
        while (Stopwatch.GetTimestamp() < until)
        {
            if (TryConsume())
            {
                return true;
            }

            cancellationToken.ThrowIfCancellationRequested();
            Thread.SpinWait(1);
        }

        return false;
    }

    private bool Sleep(long deadline, CancellationToken cancellationToken)
    {
        // Registered only for a wait that really sleeps; the callback merely makes the sleep return.
        CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(s_wakeOnCancel, _parker)
            : default;
        try
        {
            while (true)
            {
                if (TryConsume())
                {
                    return true;
                }

                cancellationToken.ThrowIfCancellationRequested();
                long remainingNs = -1;
                if (deadline != long.MaxValue)
                {
                    long now = Stopwatch.GetTimestamp();
                    if (now >= deadline)
                    {
                        return false;
                    }

                    remainingNs = Parker.TicksToNs(deadline - now);
                }

                if (!_parker.TryPrepare())
                {
                    // A wake left over from an earlier signal or cancellation: look again.
                    continue;
                }

                if (Volatile.Read(ref _signaled.Value) != 0 || cancellationToken.IsCancellationRequested)
                {
                    _parker.Cancel();
                    continue;
                }

                _parker.Wait(remainingNs);
            }
        }
        finally
        {
            registration.Dispose();
        }
    }

    /// <summary>Waiter: takes the signal if there is one. Reads first, so an unset event costs no write.</summary>
    private bool TryConsume()
        => Volatile.Read(ref _signaled.Value) != 0 && Interlocked.Exchange(ref _signaled.Value, 0) != 0;

    private static long ToTimeoutNs(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return -1;
        }

        if (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(timeout),
                timeout,
                "The timeout must be Timeout.InfiniteTimeSpan or between zero and int.MaxValue milliseconds.");
        }

        return (long)timeout.TotalNanoseconds;
    }

    private static void ThrowConcurrentWaiter()
        => throw new InvalidOperationException(
            "Another thread is already waiting on this FastWakeEvent; it supports one waiting thread at a time.");
}
