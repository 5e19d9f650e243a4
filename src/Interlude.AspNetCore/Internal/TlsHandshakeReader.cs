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
/// The application's side of a connection's input, aware of a TLS handshake in progress on the connection. Outside
/// a handshake (a plain endpoint, or once the handshake is over) every read goes to the ordinary
/// <see cref="LoopPipeReader"/>. During one, each read is performed on the loop and delivers only the handshake's
/// records (see <see cref="TlsRecordCursor"/>), so that the application's first request reaches SslStream through
/// a read made after the handshake, which brings the connection back to its loop; and with an offload engine its
/// result is delivered on an engine thread, so the SslStream code that resumes on it (the handshake's crypto,
/// run synchronously after each read) runs there.
/// </summary>
/// <remarks>
/// How it knows: Kestrel's HTTPS middleware puts an <see cref="ISslStreamFeature"/> on the connection's features
/// before it authenticates, and reads the handshake through this reader; the handshake is in progress while that
/// SslStream is not authenticated. A connection without the feature costs one revision check of the feature
/// collection per read, and a lookup only when the collection has changed.
/// Thread rules: one read at a time, as pipes require. <see cref="ReadAsync"/>, <see cref="AdvanceTo(SequencePosition, SequencePosition)"/>
/// and the awaiter's calls run on the reading thread (the ThreadPool for the first read, then wherever the last
/// step ran); the read and the submission on the loop (<see cref="Accelerator.SubmitAsync{TState, TResult}"/> is
/// called there, so the step goes through the loop's own ring to the engine); the completion on the engine
/// thread, or on the loop without an engine, for a failure, or for a read that brings no bytes. The core's own
/// protocol orders them.
/// </remarks>
internal sealed class TlsHandshakeReader : PipeReader, IValueTaskSource<ReadResult>, ITlsHandshakeOffloadFeature
{
    private const int RecordedSteps = 8;

    private static readonly Action<object?> s_readOnLoop = static s => ((TlsHandshakeReader)s!).ReadOnLoop();

    private readonly LoopPipeReader _afterHandshake;
    private readonly PipeReader _inner;
    private readonly LoopPipeScheduler _scheduler;
    private readonly IFeatureCollection _features;
    private readonly Accelerator? _engine;
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

    // The thread of each step delivered on the engine (the first RecordedSteps), for diagnostics and tests. Steps
    // follow one another, each published to the next through the loop's queue.
    private StepThreads _stepThreads;
    private int _steps;

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
        _engine = engine;
        Mode = mode;
        _connection = connection;
        _logger = logger;
        _onInnerCompleted = OnInnerCompleted;
    }

    /// <summary>The offload engine; only read when there is one.</summary>
    public Accelerator Engine => _engine!;

    public TlsHandshakeOffloadMode Mode { get; }

    public int StepCount => Volatile.Read(ref _steps);

    public IReadOnlyList<int> StepThreadIds
    {
        get
        {
            int count = Math.Min(StepCount, RecordedSteps);
            var ids = new int[count];
            for (int i = 0; i < count; i++)
            {
                ids[i] = _stepThreads[i];
            }

            return ids;
        }
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!InHandshake())
        {
            return _afterHandshake.ReadAsync(cancellationToken);
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
        _scheduler.Schedule(s_readOnLoop, this);
    }

    public ReadResult GetResult(short token) => _core.GetResult(token);

    /// <summary>Engine thread, inside a step's work function: delivers the read, running SslStream's handshake step here.</summary>
    internal void DeliverOnEngine(in ReadResult result)
    {
        int step = _steps;
        if (step < RecordedSteps)
        {
            _stepThreads[step] = Environment.CurrentManagedThreadId;
        }

        Volatile.Write(ref _steps, step + 1);
        _core.SetResult(result);
    }

    /// <summary>Loop thread: the engine could not take or run the step; the handshake's read fails with it.</summary>
    internal void FailStep(Exception error)
    {
        _awaitingAdvance = false;
        _delivered = default;
        if (error is OperationCanceledException)
        {
            InterludeTransportLog.TlsHandshakeOffloadCancelled(_logger, _connection.ConnectionId, Engine.Name);
        }
        else
        {
            InterludeTransportLog.TlsHandshakeOffloadFailed(_logger, _connection.ConnectionId, Engine.Name, error);
        }

        // An IOException, as for a transport failure: Kestrel's HTTPS middleware reports a failed handshake (at
        // debug level) and closes the connection, rather than an unhandled error.
        _core.SetException(new IOException(
            $"The TLS handshake step could not run on the offload engine '{Engine.Name}': {error.Message}", error));
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
        if (_engine is null || buffer.IsEmpty)
        {
            // Nothing to offload (no engine, or the peer closed, or a cancelled read): delivered here.
            _core.SetResult(result);
            return;
        }

        TlsHandshakeStep.Submit(this, result);
    }

    [InlineArray(RecordedSteps)]
    private struct StepThreads
    {
        private int _element;
    }
}
