using System.Buffers.Binary;
using System.Net;
using Interlude.Native;

namespace Interlude.Sockets;

/// <summary>Reads a socket's own or peer address (sockaddr_in / sockaddr_in6) into an <see cref="IPEndPoint"/>.</summary>
internal static unsafe class SocketAddresses
{
    private const int AfInet = 2;
    private const int AfInet6 = 10;

    /// <summary>The address, or null for a closed or non-IP socket.</summary>
    internal static IPEndPoint? Read(int fd, bool peer)
    {
        if (fd < 0)
        {
            return null;
        }

        byte* storage = stackalloc byte[128];
        uint length = 128;
        int rc = peer ? LinuxSockets.getpeername(fd, storage, &length) : LinuxSockets.getsockname(fd, storage, &length);
        return rc == 0 ? Parse(new ReadOnlySpan<byte>(storage, (int)Math.Min(length, 128u))) : null;
    }

    /// <summary>Parses a Linux sockaddr_in or sockaddr_in6; null for any other family.</summary>
    internal static IPEndPoint? Parse(ReadOnlySpan<byte> address)
    {
        if (address.Length < 2)
        {
            return null;
        }

        int family = BitConverter.ToUInt16(address);
        if (family == AfInet && address.Length >= 8)
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
            return new IPEndPoint(new IPAddress(address.Slice(4, 4)), port);
        }

        if (family == AfInet6 && address.Length >= 28)
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
            uint scope = BitConverter.ToUInt32(address[24..]);
            return new IPEndPoint(new IPAddress(address.Slice(8, 16), scope), port);
        }

        return null;
    }
}
