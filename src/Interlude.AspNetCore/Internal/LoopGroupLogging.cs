using Microsoft.Extensions.Logging;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// A group's stalls and unhandled faults through the host's logging: a stall as a warning while it lasts and as
/// information when it ends, a loop the OS descheduled at debug level, a fault as an error.
/// </summary>
internal sealed class LoopGroupLogging
{
    private readonly ILogger _logger;

    private LoopGroupLogging(ILogger logger) => _logger = logger;

    public static void Attach(LoopGroup group, ILogger logger)
    {
        var logging = new LoopGroupLogging(logger);
        group.Stalled += logging.OnStalled;
        group.Faulted += logging.OnFaulted;
    }

    private void OnStalled(object? sender, LoopStallEventArgs stall)
    {
        if (stall.Cause == LoopStallCause.Descheduled)
        {
            InterludeTransportLog.LoopDescheduled(_logger, stall.LoopIndex, stall.StalledFor.TotalMilliseconds, stall.HasEnded);
        }
        else if (stall.HasEnded)
        {
            InterludeTransportLog.LoopStallEnded(_logger, stall.LoopIndex, stall.StalledFor.TotalMilliseconds, stall.Cause);
        }
        else
        {
            InterludeTransportLog.LoopStalled(_logger, stall.LoopIndex, stall.StalledFor.TotalMilliseconds, stall.Cause, stall.QueuedWork);
        }
    }

    private void OnFaulted(object? sender, LoopFaultEventArgs fault)
        => InterludeTransportLog.LoopFault(_logger, fault.LoopIndex, fault.Source, fault.Exception);
}
