using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Interlude.Tests.Infrastructure;

/// <summary>
/// The client side of <see cref="FramedServer"/>'s protocol, for tests: sends and receives
/// 4-byte big-endian length-prefixed frames over one TCP connection. An ordinary .NET socket (it needs no loop).
/// </summary>
/// <remarks>
/// One sender and one receiver may work at the same time (for example, to pipeline requests); neither side
/// allocates per frame in steady state. A received frame's memory is valid until the next receive.
/// </remarks>
internal sealed class FramedClient : IDisposable
{
    private readonly Socket _socket;
    private readonly int _maxFrameSize;
    private byte[] _receive = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private byte[] _send = ArrayPool<byte>.Shared.Rent(4 * 1024);
    private int _start;
    private int _end;

    private FramedClient(Socket socket, int maxFrameSize)
    {
        _socket = socket;
        _maxFrameSize = maxFrameSize;
    }

    /// <summary>This client's own address: the server sees it as the connection's remote end point.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Connects to a framed server.</summary>
    /// <param name="endPoint">The server's address.</param>
    /// <param name="maxFrameSize">The largest frame this client accepts from the server.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    public static async Task<FramedClient> ConnectAsync(EndPoint endPoint, int maxFrameSize = 1024 * 1024, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameSize);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new FramedClient(socket, maxFrameSize);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one frame (the length prefix is added here).</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default)
    {
        int total = FramedConnection.HeaderSize + frame.Length;
        if (_send.Length < total)
        {
            ArrayPool<byte>.Shared.Return(_send);
            _send = ArrayPool<byte>.Shared.Rent(total);
        }

        BinaryPrimitives.WriteInt32BigEndian(_send, frame.Length);
        frame.Span.CopyTo(_send.AsSpan(FramedConnection.HeaderSize));
        for (int sent = 0; sent < total;)
        {
            sent += await _socket.SendAsync(_send.AsMemory(sent, total - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Receives the next frame; null when the server closed the connection. The memory is valid until the next
    /// call.
    /// </summary>
    /// <exception cref="InvalidDataException">The server announced a frame over this client's limit.</exception>
    public async ValueTask<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        if (!await FillAsync(FramedConnection.HeaderSize, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        int length = BinaryPrimitives.ReadInt32BigEndian(_receive.AsSpan(_start));
        if (length < 0 || length > _maxFrameSize)
        {
            throw new InvalidDataException($"The server announced a frame of {(uint)length} bytes, over this client's limit of {_maxFrameSize}.");
        }

        if (!await FillAsync(FramedConnection.HeaderSize + length, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        ReadOnlyMemory<byte> frame = _receive.AsMemory(_start + FramedConnection.HeaderSize, length);
        _start += FramedConnection.HeaderSize + length;
        return frame;
    }

    /// <summary>Sends a request and receives its response (null if the server closed the connection).</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> RequestAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default)
    {
        await SendAsync(frame, cancellationToken).ConfigureAwait(false);
        return await ReceiveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        _socket.Dispose();
        ArrayPool<byte>.Shared.Return(_receive);
        ArrayPool<byte>.Shared.Return(_send);
        _receive = [];
        _send = [];
    }

    /// <summary>Reads until <paramref name="count"/> bytes are buffered; false at end of stream.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_receive.Length - _start < count)
        {
            byte[] target = _receive.Length < count ? ArrayPool<byte>.Shared.Rent(count) : _receive;
            _receive.AsSpan(_start, _end - _start).CopyTo(target);
            if (!ReferenceEquals(target, _receive))
            {
                ArrayPool<byte>.Shared.Return(_receive);
                _receive = target;
            }

            _end -= _start;
            _start = 0;
        }

        while (_end - _start < count)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                return false;
            }

            if (n == 0)
            {
                return false;
            }

            _end += n;
        }

        return true;
    }
}
