using System.Net;
using System.Net.Sockets;

namespace Interlude.Sockets;

/// <summary>
/// Binds the listening sockets of a <see cref="LoopListener"/>: one per loop sharing the port through SO_REUSEPORT,
/// or a single one when that is not wanted or not available.
/// </summary>
internal static class ListenerSockets
{
    // SOL_SOCKET / SO_REUSEPORT on Linux (every architecture .NET runs on).
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private const int SoReusePort = 15;

    /// <summary>
    /// Binds <paramref name="count"/> listening sockets to <paramref name="endPoint"/> with SO_REUSEPORT, so that the
    /// kernel spreads new connections over them; one socket when <paramref name="count"/> is 1 or when the kernel
    /// refuses SO_REUSEPORT (the caller then accepts on one loop). Any thread.
    /// </summary>
    /// <remarks>
    /// Port 0: a probe picks the port and the group binds to it. Before the group is bound, the probe, without
    /// SO_REUSEPORT, listens on the address: a port someone else listens on (even with SO_REUSEPORT, under the same user)
    /// then fails with <see cref="SocketError.AddressAlreadyInUse"/> instead of being silently shared.
    /// </remarks>
    /// <exception cref="SocketException">The address cannot be bound; in use, the message names it.</exception>
    internal static Socket[] Bind(IPEndPoint endPoint, int count, int backlog)
    {
        if (count == 1)
        {
            return [Listen(Create(endPoint), endPoint, backlog)];
        }

        IPEndPoint bound = Probe(endPoint);
        var sockets = new List<Socket>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                Socket socket = Create(bound);
                if (!TryReusePort(socket))
                {
                    // No SO_REUSEPORT here: one listener, accepted on one loop.
                    socket.Dispose();
                    sockets.ForEach(s => s.Dispose());
                    return [Listen(Create(endPoint), endPoint, backlog)];
                }

                sockets.Add(socket);
                Listen(socket, bound, backlog);
            }

            return [.. sockets];
        }
        catch
        {
            sockets.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Listens (without SO_REUSEPORT) on the address and releases it: its endpoint, with the port the kernel chose.
    /// The listen, not the bind, is what conflicts with another listener when both set SO_REUSEADDR.
    /// </summary>
    private static IPEndPoint Probe(IPEndPoint endPoint)
    {
        using Socket probe = Create(endPoint);
        try
        {
            probe.Bind(endPoint);
            probe.Listen(1);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new ListenerAddressInUseException(endPoint);
        }

        return new IPEndPoint(endPoint.Address, ((IPEndPoint)probe.LocalEndPoint!).Port);
    }

    private static Socket Create(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            // SO_REUSEADDR alone (a restart binds despite connections in TIME_WAIT): on Linux, .NET's ReuseAddress
            // option sets SO_REUSEPORT as well, which would let another listener share the port unnoticed.
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool TryReusePort(Socket socket)
    {
        try
        {
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static Socket Listen(Socket socket, IPEndPoint endPoint, int backlog)
    {
        try
        {
            socket.Bind(endPoint);
            socket.Listen(backlog);
            socket.Blocking = false;
            return socket;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new ListenerAddressInUseException(endPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
