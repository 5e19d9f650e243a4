using System.Net;
using System.Net.Sockets;
using Interlude.Sockets;

namespace Interlude;

/// <summary>
/// A TCP server for length-prefixed frames (4-byte big-endian length, then the payload) whose connections live on
/// the loops of a <see cref="LoopGroup"/>. Each frame runs the handler as a coroutine on its connection's loop;
/// frames of one connection are handled one at a time, in order.
/// </summary>
/// <remarks>
/// The listening socket is accepted on the group's first loop; each accepted connection goes to the next loop in
/// round-robin order and stays there. Limits (<see cref="FramedServerOptions"/>): a frame over the size limit
/// closes its connection, a connection beyond the connection limit is closed as soon as it is accepted, and a
/// connection whose peer does not read stops being read (see <see cref="FramedConnection"/>). Each such close is
/// reported through <see cref="ConnectionClosed"/>; other connections are unaffected.
/// </remarks>
public sealed class FramedServer : IAsyncDisposable
{
    private static readonly TimeSpan s_acceptRetryDelay = TimeSpan.FromMilliseconds(10);

    private readonly LoopGroup _group;
    private readonly Action<SocketException> _onAcceptError;
    private readonly Loop _acceptLoop;

    // Any loop: connections open now (incremented on the accepting loop, decremented on each connection's loop).
    private int _connections;

    // Accepting loop only.
    private LoopListener? _listener;

    private FramedServer(LoopGroup group, Func<FramedConnection, ReadOnlyMemory<byte>, ValueTask> handler, FramedServerOptions options, IPEndPoint endPoint)
    {
        _group = group;
        _acceptLoop = group[0];
        _onAcceptError = ex => _group.ReportFault(_acceptLoop, ex, FaultSource.Coroutine);
        Handler = handler;
        Options = options;
        EndPoint = endPoint;
    }

    /// <summary>
    /// Raised on the connection's loop when a connection closes, and on the accepting loop when one is refused.
    /// Handlers must be quick: they run on a loop.
    /// </summary>
    public event EventHandler<FramedConnectionClosedEventArgs>? ConnectionClosed;

    /// <summary>The address the server listens on (with the actual port when port 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Connections open now.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    internal FramedServerOptions Options { get; }

    internal Func<FramedConnection, ReadOnlyMemory<byte>, ValueTask> Handler { get; }

    /// <summary>Binds and starts accepting. Linux only (loop-owned sockets use epoll).</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    public static async Task<FramedServer> StartAsync(
        LoopGroup group, Func<FramedConnection, ReadOnlyMemory<byte>, ValueTask> handler, FramedServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new FramedServerOptions();
        options.Validate();
        if (!Loops.EpollPoller.IsSupported)
        {
            throw new PlatformNotSupportedException("FramedServer uses epoll, which only Linux has.");
        }

        Socket bound = LoopListener.Bind(options.EndPoint, options.Backlog);
        var server = new FramedServer(group, handler, options, (IPEndPoint)bound.LocalEndPoint!);
        await server._acceptLoop.RunAsync(() =>
        {
            server._listener = LoopListener.Attach(bound);
            server._acceptLoop.Spawn(static s => s.AcceptLoopAsync(), server);
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
        return server;
    }

    /// <summary>Stops accepting; open connections stay until they close or the group stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_group.IsCancelling)
        {
            return;
        }

        try
        {
            await _acceptLoop.RunAsync(() =>
            {
                _listener?.Close();
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The group is stopping and takes no more work from outside: its loops close the listener as they exit.
        }
    }

    /// <summary>Connection's loop: a connection closed.</summary>
    internal void OnConnectionClosed(FramedConnection connection, Exception? error)
    {
        Interlocked.Decrement(ref _connections);
        try
        {
            ConnectionClosed?.Invoke(this, new FramedConnectionClosedEventArgs(connection, connection.RemoteEndPoint, error));
        }
        catch (Exception ex) when (Loop.Current is { } loop)
        {
            // A handler's failure must not unwind the connection's close (its buffers would not go back to the
            // pool) or surface in whichever send happened to close it: it is reported like any escaped callback.
            _group.ReportFault(loop, ex, FaultSource.WorkItem);
        }
    }

    private async ValueTask AcceptLoopAsync()
    {
        LoopListener listener = _listener!;
        try
        {
            while (!listener.IsClosed)
            {
                int fd = await listener.AcceptAsync(_onAcceptError, s_acceptRetryDelay);
                if (Interlocked.Increment(ref _connections) > Options.MaxConnections)
                {
                    Interlocked.Decrement(ref _connections);
                    Refuse(fd);
                    continue;
                }

                Loop target = _group.NextLoop();
                target.Spawn(static s => s.Server.RunConnectionAsync(s.Fd), (Server: this, Fd: fd));
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
        {
            // Disposed, or the group is stopping.
        }
        finally
        {
            listener.Close();
        }
    }

    private void Refuse(int fd)
    {
        IPEndPoint? remote = SocketAddresses.Read(fd, peer: true);
        Native.LinuxSockets.close(fd);
        ConnectionClosed?.Invoke(this, new FramedConnectionClosedEventArgs(
            null,
            remote,
            new InvalidOperationException(
                $"The connection limit of {Options.MaxConnections} (FramedServerOptions.MaxConnections) was reached; the connection from {remote} was closed.")));
    }

    private async ValueTask RunConnectionAsync(int fd)
    {
        LoopSocket socket;
        try
        {
            socket = LoopSocket.Adopt(fd, Options.NoDelay);
        }
        catch
        {
            Interlocked.Decrement(ref _connections);
            throw;
        }

        var connection = new FramedConnection(this, socket, socket.RemoteEndPoint);
        await connection.RunAsync();
    }
}
