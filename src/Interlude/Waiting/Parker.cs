using System.Diagnostics;
using System.Runtime.CompilerServices;
using Interlude.Native;

namespace Interlude.Waiting;

/// <summary>
/// The one place a loop or device thread goes to sleep, and the one place another thread wakes it.
/// </summary>
/// <remarks>
/// State word (a futex on Linux): EMPTY, PARKED, NOTIFIED.
/// - Only the owner moves EMPTY -> PARKED (<see cref="TryPrepare"/>) and PARKED/NOTIFIED -> EMPTY.
/// - Any thread moves the word to NOTIFIED (<see cref="Unpark"/>); only a transition out of PARKED makes the
///   wake syscall, so waking a thread that is not asleep costs one atomic and no syscall.
/// The owner's sequence is: TryPrepare (full fence), re-check every source of work, then Wait or Cancel.
/// A waker's sequence is: publish the work, full fence, then <see cref="UnparkIfParked"/> or <see cref="Unpark"/>.
/// One of the two always sees the other's write, so a wake is never lost.
/// The word lives in a pinned array padded to its own cache lines: its address must not move (futex) and
/// it is written by other cores.
/// The blocking primitive is the futex, or an <see cref="IParkSleeper"/> the owner installed (epoll_wait plus an
/// eventfd for a loop that owns sockets); the protocol above is the same for both.
/// </remarks>
internal sealed unsafe class Parker
{
    internal const int Empty = 0;
    internal const int Parked = 1;
    internal const int Notified = 2;

    private const int WordIndex = 16; // 64 bytes in: nothing else shares the line.

    private static readonly bool s_useFutex = OperatingSystem.IsLinux() && LinuxNative.FutexAvailable;

    // Pinned so the futex address is stable. Written by the owner and by wakers, read by both.
    private readonly int[] _words = GC.AllocateArray<int>(48, pinned: true);

    // Fallback for systems without futex: a monitor guards the sleep.
    private readonly object? _gate = s_useFutex ? null : new object();

    // Written by the owner while awake (before the TryPrepare that publishes PARKED); read by the owner in Wait
    // and by a waker after its exchange saw PARKED, which orders the read after the write. Null: the futex.
    private IParkSleeper? _sleeper;

    private ref int State => ref _words[WordIndex];

    /// <summary>Whether sleeps use futex (Linux); elsewhere they fall back to a monitor.</summary>
    internal static bool UsesFutex => s_useFutex;

    internal int CurrentState => Volatile.Read(ref State);

    internal bool IsParked => Volatile.Read(ref State) == Parked;

    /// <summary>
    /// Owner only. Announces the intent to sleep. Returns false (and consumes the notification) if a wake
    /// arrived since the last sleep; the owner then must not sleep.
    /// </summary>
    internal bool TryPrepare()
    {
        int previous = Interlocked.CompareExchange(ref State, Parked, Empty);
        if (previous == Empty)
        {
            return true;
        }

        Debug.Assert(previous == Notified, "only the owner parks");
        Volatile.Write(ref State, Empty);
        return false;
    }

    /// <summary>
    /// Owner only, while awake: sleep on <paramref name="sleeper"/> from now on instead of the futex (null: back
    /// to the futex). A loop that owns sockets installs its epoll poller here.
    /// </summary>
    internal void UseSleeper(IParkSleeper? sleeper)
    {
        Debug.Assert(Volatile.Read(ref State) != Parked, "the sleeper changes only while the owner is awake");
        Volatile.Write(ref _sleeper, sleeper);
    }

    /// <summary>Owner only: withdraws a prepared sleep because work was found while re-checking.</summary>
    internal void Cancel() => Interlocked.Exchange(ref State, Empty);

    /// <summary>
    /// Owner only, after <see cref="TryPrepare"/> returned true. Sleeps until notified or until
    /// <paramref name="timeoutNs"/> passes (negative: no limit). Returns true if woken by a notification.
    /// </summary>
    internal bool Wait(long timeoutNs)
    {
        long deadline = timeoutNs < 0 ? long.MaxValue : Stopwatch.GetTimestamp() + NsToTicks(timeoutNs);
        while (Volatile.Read(ref State) == Parked)
        {
            long remainingNs = -1;
            if (deadline != long.MaxValue)
            {
                long now = Stopwatch.GetTimestamp();
                if (now >= deadline)
                {
                    break;
                }

                remainingNs = TicksToNs(deadline - now);
            }

            if (_sleeper is { } sleeper)
            {
                if (sleeper.Sleep(remainingNs))
                {
                    break;
                }
            }
            else if (s_useFutex)
            {
                fixed (int* word = &State)
                {
                    LinuxNative.FutexWait(word, Parked, remainingNs);
                }
            }
            else
            {
                lock (_gate!)
                {
                    if (Volatile.Read(ref State) == Parked)
                    {
                        Monitor.Wait(_gate, remainingNs < 0 ? Timeout.Infinite : (int)Math.Max(1, remainingNs / 1_000_000));
                    }
                }
            }
        }

        return Interlocked.Exchange(ref State, Empty) == Notified;
    }

    /// <summary>Any thread. Makes the owner's next or current sleep return; a syscall only if it sleeps.</summary>
    internal void Unpark()
    {
        if (Interlocked.Exchange(ref State, Notified) == Parked)
        {
            WakeOs();
        }
    }

    /// <summary>
    /// Any thread, after publishing work and a full fence. Cheaper than <see cref="Unpark"/> when the owner is
    /// running: a plain read of a line that stays shared, no atomic write.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void UnparkIfParked()
    {
        if (Volatile.Read(ref State) == Parked)
        {
            Unpark();
        }
    }

    private void WakeOs()
    {
        if (Volatile.Read(ref _sleeper) is { } sleeper)
        {
            sleeper.Wake();
        }
        else if (s_useFutex)
        {
            fixed (int* word = &State)
            {
                LinuxNative.FutexWake(word, 1);
            }
        }
        else
        {
            lock (_gate!)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    internal static long NsToTicks(long ns) => (long)(ns * (Stopwatch.Frequency / 1e9));

    internal static long TicksToNs(long ticks) => (long)(ticks * (1e9 / Stopwatch.Frequency));
}
