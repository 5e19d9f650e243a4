using System.Net;

namespace Interlude;

/// <summary>A framed connection closed, or an accepted connection was refused.</summary>
public sealed class FramedConnectionClosedEventArgs : EventArgs
{
    internal FramedConnectionClosedEventArgs(FramedConnection? connection, IPEndPoint? remoteEndPoint, Exception? error)
    {
        Connection = connection;
        RemoteEndPoint = remoteEndPoint;
        Error = error;
    }

    /// <summary>The connection; null when it was refused at accept (the connection limit).</summary>
    public FramedConnection? Connection { get; }

    /// <summary>The peer's address, when known.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Why the server closed it: <see cref="InvalidDataException"/> for a frame over the size limit,
    /// <see cref="InvalidOperationException"/> for the connection limit, a socket error; null when the peer closed
    /// it or the server stopped.
    /// </summary>
    public Exception? Error { get; }
}
