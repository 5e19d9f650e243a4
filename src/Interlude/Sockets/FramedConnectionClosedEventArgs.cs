using System.Net;

namespace Interlude;

/// <summary>A framed connection closed, or an accepted connection was refused.</summary>
public sealed class FramedConnectionClosedEventArgs : EventArgs
{
    internal FramedConnectionClosedEventArgs(FramedConnection? connection, IPEndPoint? remoteEndPoint, FramedCloseReason reason, Exception? error)
    {
        Connection = connection;
        RemoteEndPoint = remoteEndPoint;
        Reason = reason;
        Error = error;
    }

    /// <summary>The connection; null when it was refused at accept (<see cref="FramedCloseReason.ConnectionLimit"/>).</summary>
    public FramedConnection? Connection { get; }

    /// <summary>The peer's address, when known.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>Why the connection closed.</summary>
    public FramedCloseReason Reason { get; }

    /// <summary>
    /// For a limit, an exception whose message names the option (<see cref="InvalidDataException"/> for a frame
    /// over the size limit, <see cref="InvalidOperationException"/> for the connection limit); for
    /// <see cref="FramedCloseReason.Error"/>, the failure. Null for the ordinary ends: the peer closed or went away,
    /// the application closed it, or the server stopped.
    /// </summary>
    public Exception? Error { get; }
}
