using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Interlude.Native;

/// <summary>
/// The Linux calls behind loop-owned sockets: epoll, eventfd and non-blocking socket, connect, accept, recv and send.
/// Callers check <see cref="OperatingSystem.IsLinux"/> first; on other systems nothing here is called.
/// </summary>
/// <remarks>
/// struct epoll_event is packed on x86-64 (12 bytes: events at 0, data at 4) and naturally aligned elsewhere
/// (16 bytes: data at 8), so event buffers are raw memory read through <see cref="EventStride"/> and
/// <see cref="EventDataOffset"/> rather than a managed struct.
/// </remarks>
internal static unsafe partial class LinuxSockets
{
    private const string Libc = "libc";

    internal const int EpollCloexec = 0x80000;
    internal const int EpollCtlAdd = 1;
    internal const int EpollCtlDel = 2;
    internal const int EpollCtlMod = 3;

    internal const uint EpollIn = 0x001;
    internal const uint EpollOut = 0x004;
    internal const uint EpollErr = 0x008;
    internal const uint EpollHup = 0x010;
    internal const uint EpollRdHup = 0x2000;
    internal const uint EpollEt = 1u << 31;

    internal const int EfdNonblock = 0x800;
    internal const int EfdCloexec = 0x80000;
    internal const int SockNonblock = 0x800;
    internal const int SockCloexec = 0x80000;
    internal const int MsgNoSignal = 0x4000;
    internal const int ShutWr = 1;
    internal const int ShutRdWr = 2;
    internal const int IpProtoTcp = 6;
    internal const int TcpNoDelay = 1;
    internal const int AfInet = 2;
    internal const int AfInet6 = 10;
    internal const int SockStream = 1;
    internal const int SolSocket = 1;
    internal const int SoError = 4;

    internal const int EINTR = 4;
    internal const int EAGAIN = 11;
    internal const int ENOSYS = 38;
    internal const int ECONNABORTED = 103;
    internal const int ECONNRESET = 104;
    internal const int EMFILE = 24;
    internal const int ENFILE = 23;
    internal const int EINPROGRESS = 115;

    internal static readonly int EventStride = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    internal static readonly int EventDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr, as laid out by 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    // Set once epoll_pwait2 turns out to be missing (glibc before 2.35 or kernel before 5.11); read by any loop.
    private static volatile bool s_noPwait2;

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int epoll_create1(int flags);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int epoll_pwait2(int epfd, byte* events, int maxevents, LinuxNative.Timespec* timeout, void* sigmask);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int eventfd(uint initval, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial nint write(int fd, void* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int connect(int fd, byte* address, uint addressLength);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int getsockopt(int fd, int level, int name, int* value, uint* length);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int accept4(int fd, byte* address, uint* addressLength, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial nint sendmsg(int fd, MsgHdr* message, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int shutdown(int fd, int how);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int setsockopt(int fd, int level, int name, int* value, uint length);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int getpeername(int fd, byte* address, uint* addressLength);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int getsockname(int fd, byte* address, uint* addressLength);

    /// <summary>Adds, modifies or removes <paramref name="fd"/> in an epoll set. Returns 0 or errno.</summary>
    internal static int EpollControl(int epfd, int op, int fd, uint events, ulong data)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(ulong*)(ev + EventDataOffset) = data;
        return epoll_ctl(epfd, op, fd, ev) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>
    /// Waits for events, at most <paramref name="timeoutNs"/> (negative: no limit, zero: do not block).
    /// Returns the number of events, or -errno. Nanosecond timeouts need epoll_pwait2; without it the
    /// timeout is rounded up to whole milliseconds, so a sleep never ends before a timer is due.
    /// </summary>
    internal static int EpollWait(int epfd, byte* events, int maxEvents, long timeoutNs)
    {
        int rc;
        if (timeoutNs == 0)
        {
            rc = epoll_wait(epfd, events, maxEvents, 0);
        }
        else if (timeoutNs < 0)
        {
            rc = epoll_wait(epfd, events, maxEvents, -1);
        }
        else if (!s_noPwait2)
        {
            LinuxNative.Timespec ts;
            ts.Seconds = timeoutNs / 1_000_000_000;
            ts.Nanoseconds = timeoutNs % 1_000_000_000;
            try
            {
                rc = epoll_pwait2(epfd, events, maxEvents, &ts, null);
            }
            catch (EntryPointNotFoundException)
            {
                s_noPwait2 = true;
                return EpollWait(epfd, events, maxEvents, timeoutNs);
            }

            if (rc < 0 && Marshal.GetLastPInvokeError() == ENOSYS)
            {
                s_noPwait2 = true;
                return EpollWait(epfd, events, maxEvents, timeoutNs);
            }
        }
        else
        {
            long ms = (timeoutNs + 999_999) / 1_000_000;
            rc = epoll_wait(epfd, events, maxEvents, (int)Math.Min(ms, int.MaxValue));
        }

        return rc >= 0 ? rc : -Marshal.GetLastPInvokeError();
    }

    internal static uint EventMask(byte* events, int index) => Unsafe.ReadUnaligned<uint>(events + (index * EventStride));

    internal static ulong EventData(byte* events, int index) => Unsafe.ReadUnaligned<ulong>(events + (index * EventStride) + EventDataOffset);
}
