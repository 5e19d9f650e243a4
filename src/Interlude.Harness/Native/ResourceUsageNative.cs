using System.Runtime.InteropServices;

namespace Interlude.Harness.Native;

/// <summary>getrusage(2), the one Linux call the measurements make themselves. Callers check <see cref="OperatingSystem.IsLinux"/> first.</summary>
internal static unsafe partial class ResourceUsageNative
{
    internal const int RusageSelf = 0;
    internal const int RusageThread = 1;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int getrusage(int who, RUsage* usage);

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }

    /// <summary>struct rusage as laid out by 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct RUsage
    {
        public Timeval UserTime;
        public Timeval SystemTime;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long VoluntaryContextSwitches;
        public long InvoluntaryContextSwitches;
    }
}
