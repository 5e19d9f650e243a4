using System.Runtime.InteropServices;

namespace Interlude.Native;

/// <summary>
/// The few Linux calls the runtime needs: CPU affinity, scheduling policy and futex.
/// Callers check <see cref="OperatingSystem.IsLinux"/> first; on other systems nothing here is called.
/// </summary>
internal static unsafe partial class LinuxNative
{
    private const string Libc = "libc";

    internal const int FutexWaitPrivate = 128;     // FUTEX_WAIT | FUTEX_PRIVATE_FLAG
    internal const int FutexWakePrivate = 129;     // FUTEX_WAKE | FUTEX_PRIVATE_FLAG
    internal const int EINTR = 4;
    internal const int EAGAIN = 11;
    internal const int ETIMEDOUT = 110;
    internal const int SchedIdle = 5;              // SCHED_IDLE: runs only when nothing else on its core can
    internal const int PrSetTimerSlack = 29;       // PR_SET_TIMERSLACK
    internal const int PrGetTimerSlack = 30;       // PR_GET_TIMERSLACK

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct SchedParam
    {
        public int Priority;
    }

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int sched_setaffinity(int pid, nint cpusetsize, ulong* mask);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int sched_getaffinity(int pid, nint cpusetsize, ulong* mask);

    /// <summary>Sets the scheduling policy of Linux thread <paramref name="pid"/> (0: the calling thread).</summary>
    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int sched_setscheduler(int pid, int policy, SchedParam* param);

    /// <summary>The calling thread's Linux thread id (glibc 2.30 and later).</summary>
    [LibraryImport(Libc)]
    internal static partial int gettid();

    /// <summary>
    /// prctl(2) with every argument passed as a machine word: its only uses here are the timer-slack calls, which take
    /// one integer argument or none.
    /// </summary>
    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    /// <summary>glibc's syscall(2) wrapper, used for futex, which glibc does not wrap.</summary>
    [LibraryImport(Libc, SetLastError = true)]
    private static partial long syscall(long number, int* uaddr, int futexOp, int val, Timespec* timeout, int* uaddr2, int val3);

    private static readonly long s_futexSyscall = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        Architecture.RiscV64 => 98,
        Architecture.LoongArch64 => 98,
        _ => -1,
    };

    internal static bool FutexAvailable => s_futexSyscall > 0;

    /// <summary>Sleeps while *address == expected, at most timeoutNs (negative: no limit). Returns errno or 0.</summary>
    internal static int FutexWait(int* address, int expected, long timeoutNs)
    {
        Timespec ts;
        Timespec* timeout = null;
        if (timeoutNs >= 0)
        {
            ts.Seconds = timeoutNs / 1_000_000_000;
            ts.Nanoseconds = timeoutNs % 1_000_000_000;
            timeout = &ts;
        }

        long rc = syscall(s_futexSyscall, address, FutexWaitPrivate, expected, timeout, null, 0);
        return rc == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Wakes up to <paramref name="count"/> threads sleeping on the address.</summary>
    internal static void FutexWake(int* address, int count)
    {
        syscall(s_futexSyscall, address, FutexWakePrivate, count, null, null, 0);
    }
}
