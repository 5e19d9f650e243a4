using System.Net;
using System.Net.Sockets;

namespace Interlude.Sockets;

/// <summary>
/// The address a listener asked for is taken: a <see cref="SocketException"/> with
/// <see cref="SocketError.AddressAlreadyInUse"/> whose message names the address.
/// </summary>
internal sealed class ListenerAddressInUseException : SocketException
{
    internal ListenerAddressInUseException(IPEndPoint endPoint)
        : base((int)SocketError.AddressAlreadyInUse) => EndPoint = endPoint;

    /// <summary>The address that could not be bound.</summary>
    internal IPEndPoint EndPoint { get; }

    public override string Message =>
        $"Cannot listen on {EndPoint}: the address is already in use (another process, or another listener in this one, is bound to it).";
}
