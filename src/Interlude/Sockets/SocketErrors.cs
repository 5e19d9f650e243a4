using System.Net.Sockets;

namespace Interlude.Sockets;

/// <summary>Turns a Linux errno from a socket call into the <see cref="SocketException"/> .NET code expects.</summary>
internal static class SocketErrors
{
    internal static SocketException FromErrno(int errno) => new((int)ToSocketError(errno));

    internal static SocketError ToSocketError(int errno) => errno switch
    {
        104 => SocketError.ConnectionReset,     // ECONNRESET
        32 => SocketError.Shutdown,             // EPIPE
        103 => SocketError.ConnectionAborted,   // ECONNABORTED
        110 => SocketError.TimedOut,            // ETIMEDOUT
        111 => SocketError.ConnectionRefused,   // ECONNREFUSED
        107 => SocketError.NotConnected,        // ENOTCONN
        113 => SocketError.HostUnreachable,     // EHOSTUNREACH
        101 => SocketError.NetworkUnreachable,  // ENETUNREACH
        100 => SocketError.NetworkDown,         // ENETDOWN
        24 or 23 => SocketError.TooManyOpenSockets, // EMFILE, ENFILE
        105 or 12 => SocketError.NoBufferSpaceAvailable, // ENOBUFS, ENOMEM
        9 => SocketError.OperationAborted,      // EBADF: closed under us
        _ => SocketError.SocketError,
    };
}
