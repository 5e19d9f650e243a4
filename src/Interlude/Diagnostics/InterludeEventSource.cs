using System.Diagnostics.Tracing;

namespace Interlude.Diagnostics;

/// <summary>
/// The runtime's log: faults, stalls and environment fallbacks, as events any EventListener, dotnet-trace
/// or the ASP.NET Core logging bridge can read. Event ids are stable.
/// </summary>
[EventSource(Name = "Interlude")]
internal sealed class InterludeEventSource : EventSource
{
    internal static readonly InterludeEventSource Log = new();

    private InterludeEventSource()
    {
    }

    [NonEvent]
    internal void Fault(int loopIndex, FaultSource source, Exception error)
    {
        if (IsEnabled(EventLevel.Error, EventKeywords.All))
        {
            LoopFault(loopIndex, source.ToString(), error.GetType().FullName ?? "?", error.Message);
        }
    }

    [Event(1, Level = EventLevel.Error, Message = "Unhandled {1} exception on loop {0}: {2}: {3}")]
    internal void LoopFault(int loopIndex, string source, string exceptionType, string message)
        => WriteEvent(1, loopIndex, source, exceptionType, message);

    [NonEvent]
    internal void Stall(int loopIndex, double milliseconds, bool hasEnded, LoopStallCause cause, int queuedWork)
    {
        // A loop the machine descheduled is not the application's fault: informational, not a warning.
        EventLevel level = cause == LoopStallCause.Descheduled ? EventLevel.Informational : EventLevel.Warning;
        if (IsEnabled(level, EventKeywords.All))
        {
            if (cause == LoopStallCause.Descheduled)
            {
                LoopDescheduled(loopIndex, milliseconds, hasEnded);
            }
            else
            {
                LoopStall(loopIndex, milliseconds, hasEnded, cause.ToString(), queuedWork);
            }
        }
    }

    [Event(2, Level = EventLevel.Warning, Message = "Loop {0} made no progress for {1} ms (ended: {2}); its thread was {3}; {4} posted items waited for it")]
    internal void LoopStall(int loopIndex, double milliseconds, bool hasEnded, string cause, int queuedWork)
        => WriteEvent(2, loopIndex, milliseconds, hasEnded, cause, queuedWork);

    [Event(3, Level = EventLevel.Warning, Message = "CPU pinning unavailable: {0}")]
    internal void PinningUnavailable(string reason) => WriteEvent(3, reason);

    [NonEvent]
    internal void DeviceFailed(string device, Exception error)
    {
        if (IsEnabled(EventLevel.Error, EventKeywords.All))
        {
            DeviceFault(device, error.GetType().FullName ?? "?", error.Message);
        }
    }

    [Event(4, Level = EventLevel.Error, Message = "Device {0} stopped: its worker threw {1}: {2}")]
    internal void DeviceFault(string device, string exceptionType, string message) => WriteEvent(4, device, exceptionType, message);

    [Event(6, Level = EventLevel.Warning, Message = "Device {0}: worker {1} did not stop within {2} ms (a work function that does not return?); left behind")]
    internal void DeviceStopTimedOut(string device, int worker, double milliseconds) => WriteEvent(6, device, worker, milliseconds);

    [Event(7, Level = EventLevel.Informational, Message = "Loop {0} made no progress for {1} ms (ended: {2}) because the OS ran other threads on its core")]
    internal void LoopDescheduled(int loopIndex, double milliseconds, bool hasEnded) => WriteEvent(7, loopIndex, milliseconds, hasEnded);

    [NonEvent]
    internal void CallbackFailed(string what, Exception error)
    {
        if (IsEnabled(EventLevel.Error, EventKeywords.All))
        {
            CallbackFault(what, error.GetType().FullName ?? "?", error.Message);
        }
    }

    [Event(5, Level = EventLevel.Error, Message = "A {0} callback threw {1}: {2}")]
    internal void CallbackFault(string what, string exceptionType, string message) => WriteEvent(5, what, exceptionType, message);
}
