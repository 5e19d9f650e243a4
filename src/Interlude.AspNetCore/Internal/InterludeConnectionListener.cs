using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Interlude.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// A listening socket whose accepts run as a coroutine on the group's first loop. Each accepted connection is
/// given to the next loop in round-robin order, where it lives until it closes; Kestrel takes it from a channel
/// in <see cref="AcceptAsync"/>.
/// </summary>
/// <remarks>
/// Thread rules: <c>_listener</c> belongs to the accepting loop. Kestrel calls <see cref="AcceptAsync"/>,
/// <see cref="UnbindAsync"/> and <see cref="DisposeAsync"/> from its own threads; they use the channel and post
/// the close to the loop.
/// </remarks>
internal sealed class InterludeConnectionListener : IConnectionListener
{
    private static readonly TimeSpan s_acceptRetryDelay = TimeSpan.FromMilliseconds(10);

    private readonly LoopGroup _group;
    private readonly Loop _acceptLoop;
    private readonly Action<SocketException> _onAcceptError;
    private readonly LoopPipeScheduler[] _schedulers;
    private readonly MemoryPool<byte> _pool;
    private readonly InterludeTransportOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<InterludeConnection> _accepted = Channel.CreateUnbounded<InterludeConnection>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    // Accepting loop only.
    private LoopListener? _listener;

    private InterludeConnectionListener(LoopGroup group, EndPoint endPoint, MemoryPool<byte> pool, InterludeTransportOptions options, ILogger logger)
    {
        _group = group;
        _acceptLoop = group[0];
        EndPoint = endPoint;
        _pool = pool;
        _options = options;
        _logger = logger;
        _onAcceptError = ex => InterludeTransportLog.AcceptError(logger, endPoint, ex);
        _schedulers = new LoopPipeScheduler[group.Count];
        for (int i = 0; i < _schedulers.Length; i++)
        {
            _schedulers[i] = new LoopPipeScheduler(group[i]);
        }
    }

    public EndPoint EndPoint { get; }

    internal static async Task<InterludeConnectionListener> BindAsync(
        LoopGroup group, IPEndPoint endPoint, MemoryPool<byte> pool, InterludeTransportOptions options, ILogger logger)
    {
        Socket bound = LoopListener.Bind(endPoint, options.Backlog);
        var listener = new InterludeConnectionListener(group, bound.LocalEndPoint!, pool, options, logger);
        await listener._acceptLoop.RunAsync(() =>
        {
            listener._listener = LoopListener.Attach(bound);
            listener._acceptLoop.Spawn(static l => l.AcceptLoopAsync(), listener);
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
        InterludeTransportLog.ListenerBound(logger, listener.EndPoint, group.Count);
        return listener;
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (!_group.IsCancelling)
            {
                await _acceptLoop.RunAsync(() =>
                {
                    _listener?.Close();
                    return ValueTask.CompletedTask;
                }).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // The group is stopping and takes no more work from outside: its loops close the listener as they exit.
        }

        _accepted.Writer.TryComplete();
    }

    public ValueTask DisposeAsync() => UnbindAsync();

    private async ValueTask AcceptLoopAsync()
    {
        LoopListener listener = _listener!;
        try
        {
            while (!listener.IsClosed)
            {
                int fd = await listener.AcceptAsync(_onAcceptError, s_acceptRetryDelay);
                Loop target = _group.NextLoop();
                var connection = new InterludeConnection(fd, target, _schedulers[target.Index], _pool, _options, _logger);
                connection.StartOnLoop();
                _accepted.Writer.TryWrite(connection);
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
        {
            // Unbound, or the group is stopping.
        }
        finally
        {
            listener.Close();
            _accepted.Writer.TryComplete();
        }
    }
}
