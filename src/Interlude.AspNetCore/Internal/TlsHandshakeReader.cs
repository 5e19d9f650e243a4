using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// The application's side of a connection's input when TLS handshakes are offloaded. Outside a handshake (a plain
/// endpoint, or once the handshake is over) every read goes to the ordinary <see cref="LoopPipeReader"/>, which
/// brings the connection to its loop. During one, each read is performed on the loop and its result delivered on
/// an engine thread, so the SslStream code that resumes on it (the handshake's crypto, run synchronously after
/// each read) runs there (without an engine, on the loop itself: see <see cref="DeliverOnLoop"/>); and a read delivers only the handshake's records (see <see cref="TlsRecordCursor"/>),
/// so that the application's first request reaches SslStream through a read made after the handshake, which
/// brings the connection back to its loop.
/// </summary>
/// <remarks>
/// How it knows: Kestrel's HTTPS middleware puts an <see cref="ISslStreamFeature"/> on the connection's features
/// before it authenticates, and reads the handshake through this reader; the handshake is in progress while that
/// SslStream is not authenticated. A connection without the feature costs one revision check of the feature
/// collection per read, and a lookup only when the collection has changed.
/// Thread rules: one read at a time, as pipes require. <see cref="ReadAsync"/>,
/// <see cref="AdvanceTo(SequencePosition, SequencePosition)"/> and the awaiter's calls run on the reading thread
/// (the ThreadPool for the first read, then the engine's); the pipe read and the submission on the loop
/// (<see cref="Accelerator.SubmitAsync{TState, TResult}"/> is called there, so the step goes through the loop's
/// own ring to the engine); the completion on the engine thread, or on the loop for a failure or a read that
/// brings no bytes. The core's own protocol orders them.
/// </remarks>
internal sealed class TlsHandshakeReader : PipeReader, IValueTaskSource<ReadResult>, ITlsHandshakeOffloadFeature
{
    private const int RecordedDeliveries = 16;

    private static readonly Action<object?> s_readOnLoop = static s => ((TlsHandshakeReader)s!).ReadOnLoop();

    private readonly LoopPipeReader _afterHandshake;
    private readonly PipeReader _inner;
    private readonly LoopPipeScheduler _scheduler;
    private readonly IFeatureCollection _features;
    private readonly InterludeConnection _connection;
    private readonly ILogger _logger;
    private readonly Action _onInnerCompleted;

    // The reading thread only (one read at a time): what the connection is.
    private int _seenRevision = -1;
    private SslStream? _sslStream;
    private bool _handshakeOver;

    // The read in progress: its awaited source (continuations run inline on the completing thread), its token and
    // the pipe read behind it (the loop).
    private ManualResetValueTaskSourceCore<ReadResult> _core;
    private CancellationToken _cancellationToken;
    private ValueTask<ReadResult> _innerRead;

    // The record headers seen so far, and the bytes the last handshake read delivered, until the consumer says how
    // many of them it consumed.
    private TlsRecordCursor _records;
    private ReadOnlySequence<byte> _delivered;
    private bool _awaitingAdvance;

    // The thread delivering a read (0 when none), and whether the consumer issued its next read from inside that
    // delivery; whether that read is the first after the handshake, which is completed on the loop.
    private int _deliveringThread;
    private bool _nextReadIssued;
    private bool _backToLoop;

    // Where the first RecordedDeliveries reads were delivered, for diagnostics and tests. Deliveries follow one
    // another, each published to the next through the loop's queue or on the same thread.
    private DeliveryLog _deliveries;
    private int _deliveryCount;

    internal TlsHandshakeReader(
        LoopPipeReader afterHandshake,
        PipeReader inner,
        LoopPipeScheduler scheduler,
        IFeatureCollection features,
        Accelerator? engine,
        TlsHandshakeOffloadMode mode,
        InterludeConnection connection,
        ILogger logger)
    {
        _afterHandshake = afterHandshake;
        _inner = inner;
        _scheduler = scheduler;
        _features = features;
        Engine = engine;
        Mode = mode;
        _connection = connection;
        _logger = logger;
        _onInnerCompleted = OnInnerCompleted;
    }

    /// <summary>The engine, or null when the steps run inline on the loop.</summary>
    public Accelerator? Engine { get; }

    public TlsHandshakeOffloadMode Mode { get; }

    public IReadOnlyList<TlsHandshakeDelivery> Deliveries
    {
        get
        {
            int count = Math.Min(Volatile.Read(ref _deliveryCount), RecordedDeliveries);
            var deliveries = new TlsHandshakeDelivery[count];
            for (int i = 0; i < count; i++)
            {
                deliveries[i] = _deliveries[i];
            }

            return deliveries;
        }
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!InHandshake())
        {
            if (_deliveringThread != Environment.CurrentManagedThreadId)
            {
                return _afterHandshake.ReadAsync(cancellationToken);
            }

            // The first read after the handshake, issued by the code that resumed on the engine when the last
            // step finished it: completed on the loop, and only once that code has returned (see Deliver).
            _backToLoop = true;
        }

        _core.Reset();
        _cancellationToken = cancellationToken;
        return new ValueTask<ReadResult>(this, _core.Version);
    }

    /// <summary>During a handshake, reports nothing, so that the caller goes through <see cref="ReadAsync"/>.</summary>
    public override bool TryRead(out ReadResult result)
    {
        if (!InHandshake())
        {
            return _afterHandshake.TryRead(out result);
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        CountConsumed(consumed);
        _inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        CountConsumed(consumed);
        _inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <summary>
    /// The caller has registered its continuation: only now is the read posted to the loop, so its result can
    /// never be observed early on the caller's thread, and the continuation runs wherever it is delivered.
    /// </summary>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _core.OnCompleted(continuation, state, token, flags);
        if (_deliveringThread == Environment.CurrentManagedThreadId)
        {
            // Issued from inside the delivery of the previous read (SslStream's zero-byte read is followed by its
            // real one, a frame by the rest of the flight): the delivering thread serves it when it returns.
            _nextReadIssued = true;
        }
        else
        {
            _scheduler.Schedule(s_readOnLoop, this);
        }
    }

    public ReadResult GetResult(short token) => _core.GetResult(token);

    /// <summary>Engine thread, inside a step's work function: delivers the read, running SslStream's handshake step here.</summary>
    internal void DeliverOnEngine(in ReadResult result) => Deliver(result);

    /// <summary>Loop thread: the engine could not take or run the step; the handshake's read fails with it.</summary>
    internal void FailStep(Exception error)
    {
        _awaitingAdvance = false;
        _delivered = default;
        if (error is OperationCanceledException)
        {
            InterludeTransportLog.TlsHandshakeOffloadCancelled(_logger, _connection.ConnectionId, Engine!.Name);
        }
        else
        {
            InterludeTransportLog.TlsHandshakeOffloadFailed(_logger, _connection.ConnectionId, Engine!.Name, error);
        }

        // An IOException, as for a transport failure: Kestrel's HTTPS middleware reports a failed handshake (at
        // debug level) and closes the connection, rather than an unhandled error.
        _core.SetException(new IOException(
            $"The TLS handshake step could not run on the offload engine '{Engine!.Name}': {error.Message}", error));
    }

    /// <summary>
    /// The thread a handshake read is delivered on (the engine's, or the loop's for a read without bytes):
    /// completes it, which runs SslStream's step here, then serves the read the step issued, if any. That read
    /// starts only once the step's code has returned here: had it completed while that code was still unwinding
    /// from its awaits, the awaits not yet registered would have found it done and gone on synchronously, on
    /// whichever thread was unwinding. A handshake read whose bytes are already in the pipe is delivered here
    /// (SslStream's zero-byte read and the read after it cost one trip to the engine, not two); otherwise the
    /// loop reads it, and so it does the first read after the handshake, which it completes itself.
    /// </summary>
    private void Deliver(ReadResult result)
    {
        bool readOnLoop = false;
        _deliveringThread = Environment.CurrentManagedThreadId;
        try
        {
            while (true)
            {
                _nextReadIssued = false;
                Record(result.Buffer.Length);
                _core.SetResult(result);
                if (!_nextReadIssued)
                {
                    return;
                }

                if (_backToLoop || !TryReadHere(out result))
                {
                    readOnLoop = true;
                    return;
                }
            }
        }
        finally
        {
            _deliveringThread = 0;
            if (readOnLoop)
            {
                _scheduler.Schedule(s_readOnLoop, this);
            }
        }
    }

    private void Record(long length)
    {
        int count = _deliveryCount;
        if (count < RecordedDeliveries)
        {
            _deliveries[count] = new TlsHandshakeDelivery(Environment.CurrentManagedThreadId, _records.Start, length);
        }

        Volatile.Write(ref _deliveryCount, count + 1);
    }

    /// <summary>The delivering thread: the handshake records already in the pipe, if any.</summary>
    private bool TryReadHere(out ReadResult result)
    {
        if (_cancellationToken.IsCancellationRequested || !_inner.TryRead(out result))
        {
            result = default;
            return false;
        }

        ReadOnlySequence<byte> buffer = result.Buffer;
        long deliverable = buffer.IsEmpty ? 0 : _records.Deliverable(buffer);
        if (deliverable == 0)
        {
            // Nothing (a cancelled read), or an incomplete record header: the loop reads it properly.
            _inner.AdvanceTo(buffer.Start);
            result = default;
            return false;
        }

        if (deliverable < buffer.Length)
        {
            buffer = buffer.Slice(0, deliverable);
            result = new ReadResult(buffer, result.IsCanceled, isCompleted: false);
        }

        _delivered = buffer;
        _awaitingAdvance = true;
        return true;
    }

    /// <summary>The reading thread: whether this read belongs to a TLS handshake in progress.</summary>
    private bool InHandshake()
    {
        if (_handshakeOver)
        {
            return false;
        }

        if (_sslStream is null)
        {
            int revision = _features.Revision;
            if (revision == _seenRevision)
            {
                return false;
            }

            _seenRevision = revision;
            _sslStream = _features.Get<ISslStreamFeature>()?.SslStream;
            if (_sslStream is null)
            {
                return false;
            }
        }

        if (_sslStream.IsAuthenticated)
        {
            _handshakeOver = true;
            return false;
        }

        return true;
    }

    /// <summary>The reading thread: moves the record cursor past what the consumer consumed of a handshake read.</summary>
    private void CountConsumed(SequencePosition consumed)
    {
        if (_awaitingAdvance)
        {
            _awaitingAdvance = false;
            _records.Consumed(_delivered.Slice(_delivered.Start, consumed).Length);
            _delivered = default;
        }
    }

    private void ReadOnLoop()
    {
        try
        {
            _innerRead = _inner.ReadAsync(_cancellationToken);
        }
        catch (Exception ex)
        {
            _core.SetException(ex);
            return;
        }

        if (_innerRead.IsCompleted)
        {
            OnInnerCompleted();
        }
        else
        {
            _innerRead.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onInnerCompleted);
        }
    }

    /// <summary>Loop thread: the pipe read is done; delivers its handshake records, through the engine if there is one.</summary>
    private void OnInnerCompleted()
    {
        ValueTask<ReadResult> read = _innerRead;
        _innerRead = default;
        ReadResult result;
        try
        {
            result = read.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            _core.SetException(ex);
            return;
        }

        if (_backToLoop)
        {
            // The handshake is over: the connection is back on its loop, and later reads come from here.
            _backToLoop = false;
            _core.SetResult(result);
            return;
        }

        ReadOnlySequence<byte> buffer = result.Buffer;
        long deliverable = _records.Deliverable(buffer);
        if (deliverable == 0 && !buffer.IsEmpty)
        {
            if (!result.IsCompleted && !result.IsCanceled)
            {
                // An incomplete record header: wait for the rest of it.
                _inner.AdvanceTo(buffer.Start, buffer.End);
                ReadOnLoop();
                return;
            }

            deliverable = buffer.Length;
        }

        if (deliverable < buffer.Length)
        {
            buffer = buffer.Slice(0, deliverable);
            result = new ReadResult(buffer, result.IsCanceled, isCompleted: false);
        }

        _delivered = buffer;
        _awaitingAdvance = true;
        if (buffer.IsEmpty)
        {
            // Nothing to compute (the peer closed, or a cancelled read): delivered here.
            Deliver(result);
            return;
        }

        if (Engine is null)
        {
            DeliverOnLoop(result);
            return;
        }

        TlsHandshakeStep.Submit(this, result);
    }

    /// <summary>
    /// Loop thread, without an engine: delivers the read here, with the loop's SynchronizationContext set aside
    /// meanwhile. With it in place the Task machinery would not run SslStream's <c>ConfigureAwait(false)</c>
    /// continuations inline, and would queue the step to the ThreadPool; without it they run here, on the loop.
    /// What the step leaves behind (its next read) is served by the loop with the context restored.
    /// </summary>
    private void DeliverOnLoop(ReadResult result)
    {
        SynchronizationContext? context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            Deliver(result);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    [InlineArray(RecordedDeliveries)]
    private struct DeliveryLog
    {
        private TlsHandshakeDelivery _element;
    }
}
