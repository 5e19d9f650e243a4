using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// Kestrel's view of a <see cref="LoopListener"/>: each accepted socket already belongs to a loop (the one that
/// accepted it, or the group's loops in turn when one loop accepts) and becomes an <see cref="InterludeConnection"/> that lives there until it closes.
/// </summary>
/// <remarks>
/// Thread rules: Kestrel calls <see cref="AcceptAsync"/> (one at a time), <see cref="UnbindAsync"/> and
/// <see cref="DisposeAsync"/> from its own threads; the listener runs the accept on its loop and the connection
/// starts on its own.
/// </remarks>
internal sealed class InterludeConnectionListener : IConnectionListener
{
    private readonly LoopListener _listener;
    private readonly LoopPipeScheduler[] _schedulers;
    private readonly MemoryPool<byte> _pool;
    private readonly InterludeTransportOptions _options;
    private readonly ILogger _logger;

    private InterludeConnectionListener(LoopListener listener, MemoryPool<byte> pool, InterludeTransportOptions options, ILogger logger)
    {
        _listener = listener;
        _pool = pool;
        _options = options;
        _logger = logger;
        LoopGroup group = listener.Group;
        _schedulers = new LoopPipeScheduler[group.Count];
        for (int i = 0; i < _schedulers.Length; i++)
        {
            _schedulers[i] = new LoopPipeScheduler(group[i]);
        }
    }

    public EndPoint EndPoint => _listener.LocalEndPoint;

    internal static InterludeConnectionListener Bind(
        LoopGroup group, IPEndPoint endPoint, MemoryPool<byte> pool, InterludeTransportOptions options, ILogger logger)
    {
        LoopListener listener;
        try
        {
            listener = LoopListener.Bind(
                group,
                endPoint,
                new LoopListenerOptions { Backlog = options.Backlog, NoDelay = options.NoDelay, AcceptOnEveryLoop = options.AcceptOnEveryLoop });
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // Kestrel reports this one as the address being in use (and may try the next address of a host name).
            throw new AddressInUseException(ex.Message, ex);
        }

        InterludeTransportLog.ListenerBound(logger, listener.LocalEndPoint, group.Count);
        return new InterludeConnectionListener(listener, pool, options, logger);
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            LoopSocket socket;
            try
            {
                socket = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                // The listener waits a little before the next accept, so reporting and retrying does not spin.
                InterludeTransportLog.AcceptError(_logger, EndPoint, ex);
                continue;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The loop group is stopping.
                return null;
            }

            var connection = new InterludeConnection(socket, _schedulers[socket.Loop.Index], _pool, _options, _logger);
            connection.Start();
            return connection;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => _listener.DisposeAsync();

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
