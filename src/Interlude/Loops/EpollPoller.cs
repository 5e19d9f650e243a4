using System.Diagnostics;
using System.Runtime.InteropServices;
using Interlude.Native;
using Interlude.Waiting;

namespace Interlude.Loops;

/// <summary>
/// A loop's epoll instance: the poller that reports socket readiness, and the sleeper the loop's
/// <see cref="Parker"/> blocks in, so sockets, device completions and timers share one wait.
/// </summary>
/// <remarks>
/// One of the drivers a loop creates with itself (on Linux), polled with the others and closed when the loop
/// exits. From the first registration on, it is also the parker's sleeper, until the loop exits.
///
/// Registrations are edge-triggered, for input and output at once, made once per descriptor. A target keeps
/// its own "ready" flags, set here and cleared by its own reads and writes when they find the kernel buffer
/// empty (or full), so a ready socket costs no epoll call at all and an idle one no read.
///
/// Polling cost: <see cref="Poll"/> makes no syscall while nothing is registered. Otherwise it checks with
/// <c>epoll_wait(timeout 0)</c> every iteration while the last check found events or the loop is idle, and at
/// most once per <see cref="BusyCheckInterval"/> while other pollers or queued work keep the loop busy and the
/// sockets are quiet: an empty check costs about a microsecond of syscall, so a busy loop spends at most a few
/// percent on it, and a socket event waits at most that interval on a loop busy with something else.
///
/// Sleeping: the loop's parker calls <see cref="IParkSleeper.Sleep"/>, an epoll_wait with the timer's timeout over the
/// sockets and an eventfd. A waker that moves the parker out of PARKED writes the eventfd (<see cref="IParkSleeper.Wake"/>);
/// nothing else ever writes it, so an awake loop costs wakers no syscall. The eventfd is registered
/// edge-triggered and never read: every write is a new edge, so each wake costs one write and no read.
/// Events a sleep returns are kept and handled by the next <see cref="Poll"/>.
///
/// Thread rules: everything is touched only by the loop's thread, except <see cref="IParkSleeper.Wake"/> (any thread),
/// which uses only the eventfd handle.
/// </remarks>
internal sealed unsafe class EpollPoller : ILoopDriver, IParkSleeper
{
    internal const int MaxEvents = 256;

    private const ulong WakeToken = ulong.MaxValue;

    private static readonly long s_busyCheckTicks = (long)(BusyCheckInterval.TotalSeconds * Stopwatch.Frequency);

    private readonly Loop _loop;
    private readonly int _epfd;

    // Written by any waker (Wake), closed by the owner when the loop exits; the handle defers the close.
    private readonly FileDescriptorHandle _wakeFd;
    private readonly byte* _events;

    // Owner only: registered targets by slot, each slot's generation (a token names slot and generation, so an
    // event already fetched for a closed target is dropped), and the free slots.
    private IEpollTarget?[] _targets = new IEpollTarget?[16];
    private uint[] _generations = new uint[16];
    private int[] _free = new int[16];
    private int _freeCount;
    private int _slotsUsed;
    private int _registered;

    // Owner only: events a sleep returned, handled by the next Poll.
    private int _pending;

    // Owner only: when the last empty check was made, and whether the last check found events.
    private long _lastEmptyCheck;
    private bool _lastCheckFound;
    private bool _closed;

    // Owner only: whether the parker sleeps in this poller's epoll_wait (from the first registration on).
    private bool _isSleeper;

    /// <summary>Created by its loop with the loop's other drivers (on the creating thread: it only opens descriptors).</summary>
    internal EpollPoller(Loop loop)
    {
        _loop = loop;
        _epfd = LinuxSockets.epoll_create1(LinuxSockets.EpollCloexec);
        if (_epfd < 0)
        {
            throw new IOException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}.");
        }

        int wake = LinuxSockets.eventfd(0, LinuxSockets.EfdNonblock | LinuxSockets.EfdCloexec);
        if (wake < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            LinuxSockets.close(_epfd);
            throw new IOException($"eventfd failed: errno {errno}.");
        }

        _wakeFd = new FileDescriptorHandle(wake);
        int rc = LinuxSockets.EpollControl(_epfd, LinuxSockets.EpollCtlAdd, wake, LinuxSockets.EpollIn | LinuxSockets.EpollEt, WakeToken);
        if (rc != 0)
        {
            _wakeFd.Dispose();
            LinuxSockets.close(_epfd);
            throw new IOException($"epoll_ctl(eventfd) failed: errno {rc}.");
        }

        _events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * LinuxSockets.EventStride));
    }

    /// <summary>How long a busy loop with quiet sockets goes between two epoll checks.</summary>
    internal static TimeSpan BusyCheckInterval { get; } = TimeSpan.FromMicroseconds(20);

    /// <summary>Whether this system has epoll (Linux).</summary>
    internal static bool IsSupported => OperatingSystem.IsLinux();

    internal Loop Loop => _loop;

    /// <summary>Owner only: descriptors registered now.</summary>
    internal int Registered => _registered;

    /// <summary>Owner only. Registers <paramref name="fd"/> for <paramref name="events"/>; returns its token.</summary>
    internal ulong Register(int fd, IEpollTarget target, uint events)
    {
        Debug.Assert(_loop.IsCurrent, "registrations are made on the owning loop");
        ObjectDisposedException.ThrowIf(_closed, this);
        int slot = _freeCount > 0 ? _free[--_freeCount] : _slotsUsed++;
        if (slot == _targets.Length)
        {
            Array.Resize(ref _targets, slot * 2);
            Array.Resize(ref _generations, slot * 2);
            Array.Resize(ref _free, slot * 2);
        }

        ulong token = ((ulong)_generations[slot] << 32) | (uint)slot;
        int rc = LinuxSockets.EpollControl(_epfd, LinuxSockets.EpollCtlAdd, fd, events, token);
        if (rc != 0)
        {
            _free[_freeCount++] = slot;
            throw new IOException($"epoll_ctl(ADD) failed: errno {rc}.");
        }

        _targets[slot] = target;
        _registered++;
        if (!_isSleeper)
        {
            // Until a descriptor is registered the loop sleeps on its futex, whose wake is cheaper than the
            // eventfd's; from now on it sleeps here, so socket readiness also ends its sleep.
            _loop.Parker.UseSleeper(this);
            _isSleeper = true;
        }

        return token;
    }

    /// <summary>
    /// Owner only. Forgets a registration. The descriptor leaves the epoll set when it is closed; events already
    /// fetched for it are dropped by the generation check.
    /// </summary>
    internal void Unregister(ulong token)
    {
        int slot = (int)(uint)token;
        if ((uint)slot < (uint)_slotsUsed && _generations[slot] == (uint)(token >> 32) && _targets[slot] is not null)
        {
            _targets[slot] = null;
            _generations[slot]++;
            _free[_freeCount++] = slot;
            _registered--;
        }
    }

    public bool Poll()
    {
        if (_pending > 0)
        {
            int pending = _pending;
            _pending = 0;
            return Dispatch(pending);
        }

        if (_registered == 0)
        {
            return false;
        }

        if (!_lastCheckFound && _loop.Counters.IdleSince == 0
            && Stopwatch.GetTimestamp() - _lastEmptyCheck < s_busyCheckTicks)
        {
            return false;
        }

        int count = LinuxSockets.EpollWait(_epfd, _events, MaxEvents, 0);
        if (count <= 0)
        {
            _lastCheckFound = false;
            _lastEmptyCheck = Stopwatch.GetTimestamp();
            return false;
        }

        _lastCheckFound = true;
        return Dispatch(count);
    }

    /// <summary>Nothing to arm: the sleep itself is the epoll wait. Refuses while a sleep's events are unhandled.</summary>
    public bool TryEnterInterruptMode() => _pending == 0;

    public void ExitInterruptMode()
    {
    }

    bool IParkSleeper.Sleep(long timeoutNs)
    {
        int count = LinuxSockets.EpollWait(_epfd, _events, MaxEvents, timeoutNs);
        if (count <= 0)
        {
            return false;
        }

        bool own = false;
        for (int i = 0; i < count; i++)
        {
            own |= LinuxSockets.EventData(_events, i) != WakeToken;
        }

        _pending = own ? count : 0;
        return own;
    }

    void IParkSleeper.Wake()
    {
        ulong one = 1;
        bool added = false;
        try
        {
            _wakeFd.DangerousAddRef(ref added);
            LinuxSockets.write((int)_wakeFd.DangerousGetHandle(), &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // The loop has exited and closed the eventfd: there is nothing left to wake.
        }
        finally
        {
            if (added)
            {
                _wakeFd.DangerousRelease();
            }
        }
    }

    public int CancelPending(CancellationToken token)
    {
        int cancelled = 0;
        for (int slot = 0; slot < _slotsUsed; slot++)
        {
            cancelled += _targets[slot]?.CancelWaits(token) ?? 0;
        }

        return cancelled;
    }

    public void OnRemoved()
    {
        for (int slot = 0; slot < _slotsUsed; slot++)
        {
            IEpollTarget? target = _targets[slot];
            _targets[slot] = null;
            target?.OnLoopExit();
        }

        _registered = 0;
        _closed = true;
        _loop.Parker.UseSleeper(null);
        _wakeFd.Dispose();
        LinuxSockets.close(_epfd);
        NativeMemory.Free(_events);
    }

    private bool Dispatch(int count)
    {
        bool worked = false;
        for (int i = 0; i < count; i++)
        {
            ulong token = LinuxSockets.EventData(_events, i);
            if (token == WakeToken)
            {
                continue;
            }

            int slot = (int)(uint)token;
            if ((uint)slot < (uint)_slotsUsed && _generations[slot] == (uint)(token >> 32) && _targets[slot] is { } target)
            {
                worked = true;
                target.OnEvents(LinuxSockets.EventMask(_events, i));
            }
        }

        return worked;
    }
}
