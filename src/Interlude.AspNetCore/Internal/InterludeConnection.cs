using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// One accepted TCP connection, living on one loop: a receive coroutine that moves bytes from the socket into
/// the input pipe and a send coroutine that moves the output pipe's bytes to the socket. Both pipes schedule on
/// the loop, so the application code reading and writing them runs there too.
/// </summary>
/// <remarks>
/// Thread rules: the socket and <c>_running</c> belong to the loop. Kestrel may call <see cref="Abort"/> and
/// <see cref="DisposeAsync"/> from any thread; they touch only the pipes (which are thread-safe), the abort
/// reason (one compare-exchange) and post the rest to the loop.
/// Lifetime: <see cref="ConnectionClosed"/> fires as soon as the receive coroutine ends (the peer closed or reset
/// the connection, or an abort), as in Kestrel's socket transport, so a request waiting on RequestAborted learns of
/// a client that went away. The send coroutine ending (the application completed its output, or an abort) shuts
/// the socket down, which ends the receive coroutine too; when both have ended the socket is closed on the loop,
/// and once ConnectionClosed has fired as well, <see cref="DisposeAsync"/> completes.
/// A client that goes away (reset, broken pipe) is an ordinary end, as for Kestrel's socket transport: logged at
/// debug level, the output completed without an error, the input failed with a
/// <see cref="ConnectionResetException"/> only after ConnectionClosed has fired, so Kestrel sees an aborted
/// request rather than an application error.
/// </remarks>
internal sealed partial class InterludeConnection : ConnectionContext
{
    private const int MinReceiveBuffer = 2048;

    private static readonly Action<object?> s_start = static c => ((InterludeConnection)c!).StartOnLoop();
    private static readonly Action<object?> s_shutdown = static c => ((InterludeConnection)c!).ShutdownOnLoop();
    private static readonly Action<object?> s_fireClosed = static c => ((InterludeConnection)c!).FireConnectionClosed();

    private readonly LoopSocket _socket;
    private readonly LoopPipeScheduler _scheduler;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Owning loop only.
    private int _running;
    private bool _closedQueued;

    // Decremented once when both coroutines have ended and the socket is closed (loop) and once when
    // ConnectionClosed has fired (ThreadPool); the thread that takes it to zero completes _done.
    private int _untilDone = 2;

    // Any thread sets it once (Abort); the loop's coroutines read it when they end.
    private ConnectionAbortedException? _abortReason;

    // Owning loop only: set when the send side found the client gone (reset, broken pipe); the input completes
    // with it, as in Kestrel's socket transport.
    private ConnectionResetException? _shutdownReason;

    // Written by the loop before it queues ConnectionClosed, read by the ThreadPool callback that fires it (the
    // queueing orders the two): the error the input completes with once ConnectionClosed has fired.
    private Exception? _inputError;

    internal InterludeConnection(LoopSocket socket, LoopPipeScheduler scheduler, MemoryPool<byte> pool, InterludeTransportOptions options, ILogger logger)
    {
        _socket = socket;
        _scheduler = scheduler;
        _logger = logger;
        MemoryPool = pool;
        ConnectionId = ConnectionIds.Next();
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;

        int minimumSegment = pool.MaxBufferSize is > 0 and < 4096 ? pool.MaxBufferSize : 4096;
        long maxRead = options.MaxReadBufferSize ?? 0;
        long maxWrite = options.MaxWriteBufferSize ?? 0;
        _input = new Pipe(new PipeOptions(pool, scheduler, scheduler, maxRead, maxRead / 2, minimumSegment, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(pool, scheduler, scheduler, maxWrite, maxWrite / 2, minimumSegment, useSynchronizationContext: false));
        FeatureCollection features = CreateFeatures();
        Features = features;
        var input = new LoopPipeReader(_input.Reader, scheduler);
        if (options.TlsHandshakeEngine is not null || options.TlsHandshakesOnLoop)
        {
            var handshakes = new TlsHandshakeReader(input, _input.Reader, scheduler, features, options.TlsHandshakeEngine, options.TlsHandshakeMode, this, logger);
            features.Set<ITlsHandshakeOffloadFeature>(handshakes);
            Transport = new DuplexPipe(handshakes, _output.Writer);
        }
        else
        {
            Transport = new DuplexPipe(input, _output.Writer);
        }
        ConnectionClosed = _closed.Token;
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items { get; set; } = new ConnectionItems();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    internal MemoryPool<byte> MemoryPool { get; }

    internal Loop Loop => _socket.Loop;

    /// <summary>Any thread: starts the connection's coroutines on its socket's loop.</summary>
    internal void Start() => _scheduler.Schedule(s_start, this);

    public override void Abort(ConnectionAbortedException abortReason)
    {
        Interlocked.CompareExchange(ref _abortReason, abortReason, null);

        // Ends the send coroutine (which shuts the socket down) and, through the shutdown, a send waiting for
        // room or a receive waiting for data.
        _output.Reader.CancelPendingRead();
        _scheduler.Schedule(s_shutdown, this);
    }

    public override async ValueTask DisposeAsync()
    {
        Transport.Input.Complete();
        Transport.Output.Complete();
        await _done.Task.ConfigureAwait(false);
        _closed.Dispose();
    }

    private void StartOnLoop()
    {
        _running = 2;
        Loop.Spawn(static c => c.ReceiveLoopAsync(), this);
        Loop.Spawn(static c => c.SendLoopAsync(), this);
    }

    private void ShutdownOnLoop()
    {
        if (!_socket.IsClosed)
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
    }

    private static bool IsPeerGone(SocketError error)
        => error is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted;

    private async ValueTask ReceiveLoopAsync()
    {
        LoopSocket socket = _socket;
        PipeWriter input = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                await socket.WaitReadableAsync();
                Memory<byte> buffer = input.GetMemory(MinReceiveBuffer);
                if (!socket.TryReceive(buffer.Span, out int received))
                {
                    continue;
                }

                if (received == 0)
                {
                    break;
                }

                input.Advance(received);
                FlushResult flush = await input.FlushAsync();
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (SocketException ex) when (IsPeerGone(ex.SocketErrorCode))
        {
            error = new ConnectionResetException(ex.Message, ex);
            InterludeTransportLog.ConnectionReset(_logger, ConnectionId);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
        {
            error = new ConnectionAbortedException("The connection was closed.", ex);
        }
        catch (Exception ex)
        {
            error = new IOException(ex.Message, ex);
            InterludeTransportLog.ConnectionError(_logger, ConnectionId, ex);
        }
        finally
        {
            Exception? completion = _abortReason ?? _shutdownReason ?? error;
            if (completion is not null && !_closedQueued)
            {
                // Kestrel tells an aborted request from an application's failure by whether it has already seen the
                // connection close when a read fails. Its read would resume here on the loop before the ThreadPool
                // delivered ConnectionClosed, so the input fails only once ConnectionClosed has fired.
                _inputError = completion;
            }
            else
            {
                input.Complete(completion);
            }

            QueueConnectionClosed();
            Finished();
        }
    }

    private async ValueTask SendLoopAsync()
    {
        LoopSocket socket = _socket;
        PipeReader output = _output.Reader;
        Exception? unexpected = null;
        try
        {
            while (true)
            {
                ReadResult result = await output.ReadAsync();
                if (result.IsCanceled)
                {
                    break;
                }

                ReadOnlySequence<byte> buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    await socket.SendAsync(buffer);
                }

                output.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (SocketException ex) when (IsPeerGone(ex.SocketErrorCode))
        {
            // The client went away in the middle of a response: an ordinary end, as for Kestrel's socket
            // transport. The output completes without an error (Kestrel would report a failed flush); the input
            // carries the reset instead.
            _shutdownReason = new ConnectionResetException(ex.Message, ex);
            InterludeTransportLog.ConnectionReset(_logger, ConnectionId);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
        {
            // Closed under the send by an abort, whose reason the input already carries.
        }
        catch (Exception ex)
        {
            unexpected = ex;
            InterludeTransportLog.ConnectionError(_logger, ConnectionId, ex);
        }
        finally
        {
            output.Complete(unexpected);
            ShutdownOnLoop();

            // A receive coroutine paused on a full input pipe would otherwise wait for a reader that is gone.
            _input.Writer.CancelPendingFlush();
            Finished();
        }
    }

    /// <summary>Loop thread: one coroutine ended; after the last, close and report.</summary>
    private void Finished()
    {
        if (--_running > 0)
        {
            return;
        }

        _socket.Dispose();
        QueueConnectionClosed();
        CountTowardsDone();
    }

    /// <summary>Loop thread: fires ConnectionClosed once.</summary>
    private void QueueConnectionClosed()
    {
        if (_closedQueued)
        {
            return;
        }

        // Callbacks on ConnectionClosed are application code: run them off the loop's stack, as Kestrel's socket
        // transport does.
        _closedQueued = true;
        ThreadPool.UnsafeQueueUserWorkItem(s_fireClosed, this, preferLocal: false);
    }

    private void CountTowardsDone()
    {
        if (Interlocked.Decrement(ref _untilDone) == 0)
        {
            _done.TrySetResult();
        }
    }

    /// <summary>ThreadPool: cancels ConnectionClosed, then fails the input if the receive side ended with an error.</summary>
    private void FireConnectionClosed()
    {
        try
        {
            _closed.Cancel();
        }
        catch (AggregateException)
        {
            // A callback's failure is the callback's; the connection is closed either way.
        }

        if (_inputError is { } error)
        {
            _input.Writer.Complete(error);
        }

        CountTowardsDone();
    }
}
