using System.Net;
using Microsoft.Extensions.Logging;

namespace Interlude.AspNetCore.Internal;

/// <summary>The transport's log messages, with stable event ids.</summary>
internal static partial class InterludeTransportLog
{
    [LoggerMessage(1, LogLevel.Debug, @"Connection id ""{ConnectionId}"" reset by the peer.", EventName = "ConnectionReset")]
    internal static partial void ConnectionReset(ILogger logger, string connectionId);

    [LoggerMessage(2, LogLevel.Debug, @"Connection id ""{ConnectionId}"" communication error.", EventName = "ConnectionError")]
    internal static partial void ConnectionError(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "Accepting a connection on {EndPoint} failed.", EventName = "AcceptError")]
    internal static partial void AcceptError(ILogger logger, EndPoint? endPoint, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "Listening on {EndPoint} with {LoopCount} Interlude loops.", EventName = "ListenerBound")]
    internal static partial void ListenerBound(ILogger logger, EndPoint? endPoint, int loopCount);

    [LoggerMessage(5, LogLevel.Warning, "Interlude loop {LoopIndex} has made no progress for {StalledMs:F0} ms ({Cause}; {QueuedWork} posted items wait for it): every connection on the loop waits meanwhile.", EventName = "LoopStalled")]
    internal static partial void LoopStalled(ILogger logger, int loopIndex, double stalledMs, LoopStallCause cause, int queuedWork);

    [LoggerMessage(6, LogLevel.Information, "Interlude loop {LoopIndex} made progress again after {StalledMs:F0} ms ({Cause}).", EventName = "LoopStallEnded")]
    internal static partial void LoopStallEnded(ILogger logger, int loopIndex, double stalledMs, LoopStallCause cause);

    [LoggerMessage(7, LogLevel.Debug, "Interlude loop {LoopIndex} waited {StalledMs:F0} ms for a CPU (ended: {HasEnded}): the machine, not the application, held it up.", EventName = "LoopDescheduled")]
    internal static partial void LoopDescheduled(ILogger logger, int loopIndex, double stalledMs, bool hasEnded);

    [LoggerMessage(8, LogLevel.Error, "Unhandled {Source} exception on Interlude loop {LoopIndex}.", EventName = "LoopFault")]
    internal static partial void LoopFault(ILogger logger, int loopIndex, FaultSource source, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, @"Connection id ""{ConnectionId}"": a TLS handshake step could not run on the offload engine '{Engine}'; the connection's handshake fails and the connection is closed.", EventName = "TlsHandshakeOffloadFailed")]
    internal static partial void TlsHandshakeOffloadFailed(ILogger logger, string connectionId, string engine, Exception exception);

    [LoggerMessage(10, LogLevel.Debug, @"Connection id ""{ConnectionId}"": a TLS handshake step was not run on the offload engine '{Engine}' because the loops are stopping; the connection is closed.", EventName = "TlsHandshakeOffloadCancelled")]
    internal static partial void TlsHandshakeOffloadCancelled(ILogger logger, string connectionId, string engine);

    [LoggerMessage(11, LogLevel.Information, "Interlude loops stopped with the host: drained {Drained}; cancelled {CancelledOffloads} offloads and {CancelledTimers} timers; {Abandoned} coroutines abandoned.", EventName = "LoopGroupStopped")]
    internal static partial void LoopGroupStopped(ILogger logger, bool drained, int cancelledOffloads, int cancelledTimers, long abandoned);

    [LoggerMessage(12, LogLevel.Information, ".NET's socket completions run inline on its socket engine's threads ({Cause}): replies on System.Net.Sockets sockets (database clients, HttpClient) reach the loops without a ThreadPool hop; library code that continues with ConfigureAwait(false) runs on those threads and must not block.", EventName = "SocketCompletionsInline")]
    internal static partial void SocketCompletionsInline(ILogger logger, string cause);

    [LoggerMessage(13, LogLevel.Warning, "InlineSocketCompletions is on but not in effect, so .NET's socket completions may still go through the ThreadPool: {Cause}; {Fix}.", EventName = "SocketCompletionsNotInline")]
    internal static partial void SocketCompletionsNotInline(ILogger logger, string cause, string fix);
}
