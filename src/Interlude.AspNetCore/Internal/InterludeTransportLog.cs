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
}
