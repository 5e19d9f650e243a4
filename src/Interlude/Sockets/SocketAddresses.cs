using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Interlude.Native;

namespace Interlude.Sockets;

/// <summary>Converts between <see cref="IPEndPoint"/> and Linux's sockaddr_in / sockaddr_in6.</summary>
internal static unsafe class SocketAddresses
{
    /// <summary>Bytes enough for any address this type reads or writes.</summary>
    internal const int MaxSize = 128;

    /// <summary>The address, or null for a closed or non-IP socket.</summary>
    internal static IPEndPoint? Read(int fd, bool peer)
    {
        if (fd < 0)
        {
            return null;
        }

        byte* storage = stackalloc byte[MaxSize];
        uint length = MaxSize;
        int rc = peer ? LinuxSockets.getpeername(fd, storage, &length) : LinuxSockets.getsockname(fd, storage, &length);
        return rc == 0 ? Parse(new ReadOnlySpan<byte>(storage, (int)Math.Min(length, MaxSize))) : null;
    }

    /// <summary>Parses a Linux sockaddr_in or sockaddr_in6; null for any other family.</summary>
    internal static IPEndPoint? Parse(ReadOnlySpan<byte> address)
    {
        if (address.Length < 2)
        {
            return null;
        }

        int family = BitConverter.ToUInt16(address);
        if (family == LinuxSockets.AfInet && address.Length >= 8)
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
            return new IPEndPoint(new IPAddress(address.Slice(4, 4)), port);
        }

        if (family == LinuxSockets.AfInet6 && address.Length >= 28)
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
            uint scope = BitConverter.ToUInt32(address[24..]);
            return new IPEndPoint(new IPAddress(address.Slice(8, 16), scope), port);
        }

        return null;
    }

    /// <summary>
    /// Writes <paramref name="endPoint"/> as a sockaddr_in (IPv4) or sockaddr_in6 (IPv6) into
    /// <paramref name="destination"/> (at least <see cref="MaxSize"/> bytes); returns its length and the address
    /// family to create the socket with.
    /// </summary>
    /// <exception cref="ArgumentException">Neither an IPv4 nor an IPv6 address.</exception>
    internal static int Write(IPEndPoint endPoint, Span<byte> destination, out int family)
    {
        destination[..MaxSize].Clear();
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            family = LinuxSockets.AfInet;
            BitConverter.TryWriteBytes(destination, (ushort)family);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(destination.Slice(4, 4), out _);
            return 16;
        }

        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            family = LinuxSockets.AfInet6;
            BitConverter.TryWriteBytes(destination, (ushort)family);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(destination.Slice(8, 16), out _);
            BitConverter.TryWriteBytes(destination[24..], (uint)endPoint.Address.ScopeId);
            return 28;
        }

        throw new ArgumentException($"Loop-owned sockets connect to IPv4 and IPv6 addresses, not {endPoint.AddressFamily}.", nameof(endPoint));
    }
}
