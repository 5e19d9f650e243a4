using System.Collections.Concurrent;
using System.Diagnostics;
using Interlude.Diagnostics;
using Interlude.Offload;

namespace Interlude;

/// <summary>
/// A device that runs offloaded work while the submitting coroutine is suspended. Each loop that submits gets
/// its own channel (a submission ring and a completion ring) on first use; the loop reaps completions in its
/// poll phase and resumes the awaiting coroutine inline on its own thread.
/// </summary>
/// <remarks>
/// A device is written by deriving from this class and from <see cref="DeviceWorker"/>: the derived accelerator
/// creates its workers (the device threads and their model of the hardware), starts them with
/// <see cref="StartWorkers"/>, and exposes its own submission methods built on the protected
/// <see cref="SubmitAsync(long, CancellationToken)"/> (an operation that is only an argument) and
/// <see cref="SubmitRequestAsync{TRequest, TResult}"/> (a request the device answers with a result), beside the
/// public <see cref="SubmitAsync{TState, TResult}"/> that runs a work function on a device thread. The base does
/// the rest: rings per (loop, device), arming and waking, backpressure, cancellation, error delivery, disposal.
///
/// Submitting from a thread that is not a loop (the fallback path) also works: the operation goes through a
/// shared queue bounded by <see cref="RingCapacity"/> (waiting asynchronously when full), and its continuation
/// runs on the caller's captured context, on the ThreadPool, or (with
/// <see cref="AcceleratorOptions.UnsafeInlineCompletions"/>) on the device thread. It is slower and meant for
/// tests, tools, start-up code and threads that block, not for the loops' hot path.
/// </remarks>
public abstract class Accelerator : IDisposable
{
    private readonly object _gate = new();
    private readonly ConcurrentQueue<OffloadOperation> _fallbackQueue = new();
    private readonly SemaphoreSlim _fallbackSlots;
    private readonly bool _inlineCompletions;
    private readonly int _maxQueued;
    private readonly TimeSpan _stopTimeout;
    private readonly OffloadOverflow _overflow;
    private DeviceWorker[] _workers = [];

    // Indexed by Loop.GlobalId. Replaced (copy on write) under _gate; read without a lock by submitting loops.
    private DeviceChannel?[] _channels = [];
    private int _nextWorker;

    // Written once by Dispose (or a worker's failure); read by submitters and workers.
    private volatile bool _disposed;

    // Written once (compare-exchange) by a worker whose model threw: why the device stopped. Read by anyone
    // building a stopped device's error.
    private Exception? _fault;

    /// <summary>Validates <paramref name="options"/> and prepares the device; its threads start with <see cref="StartWorkers"/>.</summary>
    /// <param name="name">A name for logs, reports and the device threads' names.</param>
    /// <param name="options">The device's options; <see cref="AcceleratorOptions.Validate"/> is called on them.</param>
    protected Accelerator(string name, AcceleratorOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Name = name;
        RingCapacity = options.RingCapacity;
        _inlineCompletions = options.UnsafeInlineCompletions;
        _maxQueued = options.MaxQueuedSubmissions;
        _stopTimeout = options.StopTimeout;
        _overflow = options.Overflow;
        _fallbackSlots = new SemaphoreSlim(RingCapacity, RingCapacity);
    }

    /// <summary>A name for logs and reports.</summary>
    public string Name { get; }

    /// <summary>Operations one loop may have outstanding on this device before its submissions wait.</summary>
    public int RingCapacity { get; }

    /// <summary>Whether <see cref="Dispose()"/> has been called.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The device threads, in order.</summary>
    internal IReadOnlyList<DeviceWorker> Workers => _workers;

    /// <summary>Any thread: the channel <paramref name="loop"/> submits on; null before its first submission or after it exited.</summary>
    internal DeviceChannel? ChannelOf(Loop loop)
    {
        DeviceChannel?[] channels = Volatile.Read(ref _channels);
        return (uint)loop.GlobalId < (uint)channels.Length ? channels[loop.GlobalId] : null;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a device thread and completes with its result. The work function runs on a
    /// device thread: it must not touch the submitting coroutine's state. Its exception, a device error or a
    /// cancellation of <paramref name="cancellationToken"/> completes the returned task with that exception.
    /// </summary>
    public ValueTask<TResult> SubmitAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(work, state, isRequest: false, argument: 0, cancellationToken);
    }

    /// <summary>Stops the device threads. Operations still held by the device fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the device threads (once), failing what they hold; a derived device releases its own resources after calling this.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing) => Stop();

    /// <summary>
    /// Worker thread whose model threw, before it fails what it holds: from now on operations fail with an
    /// <see cref="AcceleratorException"/> carrying <paramref name="fault"/>.
    /// </summary>
    internal void RecordFault(Exception fault)
    {
        Interlocked.CompareExchange(ref _fault, fault, null);
        InterludeEventSource.Log.DeviceFailed(Name, fault);
    }

    /// <summary>
    /// The same worker, once it no longer touches its rings: the device stops as if disposed (its other workers
    /// fail what they hold, and each loop fails what is left in its rings).
    /// </summary>
    internal void StopAfterFault() => Stop();

    /// <summary>Any thread: the exception an operation gets when the device has stopped.</summary>
    internal Exception StoppedError(string what)
        => Volatile.Read(ref _fault) is { } fault
            ? new AcceleratorException($"The device '{Name}' failed ({fault.Message}); {what}", fault)
            : new ObjectDisposedException(Name, $"The accelerator was disposed; {what}");

    private void Stop()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        long deadline = _stopTimeout == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : Stopwatch.GetTimestamp() + (long)(_stopTimeout.TotalSeconds * Stopwatch.Frequency);
        var stuck = new HashSet<DeviceWorker>();
        foreach (DeviceWorker worker in _workers)
        {
            if (!worker.Stop(deadline))
            {
                stuck.Add(worker);
                InterludeEventSource.Log.DeviceStopTimedOut(Name, worker.Index, _stopTimeout.TotalMilliseconds);
            }
        }

        // An off-loop submission may have been queued after the workers' last sweep, and only they consume that
        // queue: with all of them gone this thread may. A stuck one might still wake up and take from it.
        if (stuck.Count == 0)
        {
            FailFallbackQueue();
        }

        // A loop may have pushed after its worker's last sweep of the rings; each loop fails those itself, except
        // in the rings of a stuck worker, which is still their consumer.
        foreach (DeviceChannel? channel in Volatile.Read(ref _channels))
        {
            if (channel is not null && !stuck.Contains(channel.Worker))
            {
                channel.Loop.Schedule(static c => ((DeviceChannel)c!).FailStranded(), channel);
            }
        }
    }

    /// <summary>
    /// Starts the device threads. Called once, by the derived device's constructor, after it has created its
    /// workers; loops' channels are spread over them round robin.
    /// </summary>
    /// <exception cref="InvalidOperationException">Workers were already started, or none were given.</exception>
    protected void StartWorkers(IReadOnlyList<DeviceWorker> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        if (workers.Count == 0 || workers.Any(w => w is null || !ReferenceEquals(w.Device, this)))
        {
            throw new ArgumentException("A device needs at least one worker, each created for this device.", nameof(workers));
        }

        lock (_gate)
        {
            if (_workers.Length > 0)
            {
                throw new InvalidOperationException("The device's workers were already started.");
            }

            _workers = [.. workers];
        }

        foreach (DeviceWorker worker in _workers)
        {
            worker.Start();
        }
    }

    /// <summary>
    /// An operation that is only <paramref name="argument"/>: the device reads the argument from the submission
    /// ring's slot and never touches the operation (a delay, a doorbell, an opcode). Completes when the device
    /// completes it, with its error if it set one.
    /// </summary>
    /// <param name="argument">Device-defined, between 0 and 2^62 - 1.</param>
    /// <param name="cancellationToken">Cancels the wait; the device may still serve the operation.</param>
    protected ValueTask SubmitAsync(long argument, CancellationToken cancellationToken = default)
    {
        ValidateArgument(argument);
        if (PreCheck(cancellationToken) is { } refused)
        {
            return ValueTask.FromException(refused);
        }

        if (Loop.Current is { } loop)
        {
            OffloadOperation<byte, byte> op = SubmitOnLoop<byte, byte>(loop, null, 0, isRequest: false, argument, cancellationToken);
            return new ValueTask(op, op.Version);
        }

        if (!_fallbackSlots.Wait(0))
        {
            return new ValueTask(SubmitFallbackAsync<byte, byte>(null, 0, isRequest: false, argument, cancellationToken).AsTask());
        }

        OffloadOperation<byte, byte> queued = EnqueueFallback<byte, byte>(null, 0, isRequest: false, argument, cancellationToken);
        return new ValueTask(queued, queued.Version);
    }

    /// <summary>
    /// An operation carrying <paramref name="request"/>, which a device worker reads
    /// (<see cref="DeviceOperation.GetRequest{TRequest}"/>) and answers with a result
    /// (<see cref="DeviceOperation.SetResult{TResult}"/>) or an error.
    /// </summary>
    /// <param name="request">What the device works on; exactly this type is what the worker asks for.</param>
    /// <param name="argument">Device-defined, between 0 and 2^62 - 1, readable without touching the operation.</param>
    /// <param name="cancellationToken">Cancels the wait; a device that has not started the request drops it.</param>
    protected ValueTask<TResult> SubmitRequestAsync<TRequest, TResult>(TRequest request, long argument = 0, CancellationToken cancellationToken = default)
    {
        ValidateArgument(argument);
        return Submit<TRequest, TResult>(null, request, isRequest: true, argument, cancellationToken);
    }

    /// <summary>Device worker: the next operation submitted off any loop, if any.</summary>
    internal bool TryTakeFallback(out OffloadOperation? op) => _fallbackQueue.TryDequeue(out op);

    internal bool HasFallbackWork => !_fallbackQueue.IsEmpty;

    /// <summary>Device worker: a fallback operation is finished and its slot is free again.</summary>
    internal void ReleaseFallbackSlot() => _fallbackSlots.Release();

    /// <summary>
    /// An off-loop submission of an operation that delivers its own completion from the device thread, in its
    /// <see cref="OffloadOperation.OnDeviceDone"/> (for <see cref="CompletionDispatcher"/>). Waits synchronously
    /// for a fallback slot when <see cref="RingCapacity"/> are outstanding; throws instead of queuing when the
    /// device is disposed or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    internal void SubmitSelfCompleting(OffloadOperation op, CancellationToken cancellationToken)
    {
        if (PreCheck(cancellationToken) is { } refused)
        {
            throw refused;
        }

        _fallbackSlots.Wait(cancellationToken);
        EnqueueFallback(op);
    }

    /// <summary>Owning loop, on exit: forget the loop's channel.</summary>
    internal void Detach(DeviceChannel channel)
    {
        lock (_gate)
        {
            int id = channel.Loop.GlobalId;
            if (id < _channels.Length && ReferenceEquals(_channels[id], channel))
            {
                DeviceChannel?[] copy = (DeviceChannel?[])_channels.Clone();
                copy[id] = null;
                Volatile.Write(ref _channels, copy);
            }

            channel.Worker.RemoveChannel(channel);
        }
    }

    private static void ValidateArgument(long argument)
    {
        if ((ulong)argument > OperationDescriptor.MaxArgument)
        {
            throw new ArgumentOutOfRangeException(nameof(argument), argument, "An operation's argument must be between 0 and 2^62 - 1.");
        }
    }

    private ValueTask<TResult> Submit<TState, TResult>(Func<TState, TResult>? work, TState state, bool isRequest, long argument, CancellationToken cancellationToken)
    {
        if (PreCheck(cancellationToken) is { } refused)
        {
            return ValueTask.FromException<TResult>(refused);
        }

        if (Loop.Current is { } loop)
        {
            OffloadOperation<TState, TResult> op = SubmitOnLoop(loop, work, state, isRequest, argument, cancellationToken);
            return new ValueTask<TResult>(op, op.Version);
        }

        // Off any loop: without an await when a slot is free.
        if (!_fallbackSlots.Wait(0))
        {
            return SubmitFallbackAsync(work, state, isRequest, argument, cancellationToken);
        }

        OffloadOperation<TState, TResult> queued = EnqueueFallback(work, state, isRequest, argument, cancellationToken);
        return new ValueTask<TResult>(queued, queued.Version);
    }

    private OffloadOperation<TState, TResult> SubmitOnLoop<TState, TResult>(
        Loop loop, Func<TState, TResult>? work, TState state, bool isRequest, long argument, CancellationToken cancellationToken)
    {
        DeviceChannel channel = ChannelFor(loop);
        var op = OffloadOperation<TState, TResult>.Rent(work, state, isRequest, argument, channel);
        op.RegisterCancellation(cancellationToken);
        channel.Submit(op);
        return op;
    }

    private async ValueTask<TResult> SubmitFallbackAsync<TState, TResult>(
        Func<TState, TResult>? work, TState state, bool isRequest, long argument, CancellationToken cancellationToken)
    {
        await _fallbackSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        OffloadOperation<TState, TResult> op = EnqueueFallback(work, state, isRequest, argument, cancellationToken);
        return await new ValueTask<TResult>(op, op.Version).ConfigureAwait(false);
    }

    /// <summary>Holding a fallback slot: rents, configures and queues an off-loop operation.</summary>
    private OffloadOperation<TState, TResult> EnqueueFallback<TState, TResult>(
        Func<TState, TResult>? work, TState state, bool isRequest, long argument, CancellationToken cancellationToken)
    {
        var op = OffloadOperation<TState, TResult>.Rent(work, state, isRequest, argument, channel: null);
        if (_inlineCompletions)
        {
            op.ContinueOnCompletingThread();
        }

        op.RegisterCancellation(cancellationToken);
        EnqueueFallback(op);
        return op;
    }

    private void EnqueueFallback(OffloadOperation op)
    {
        op.SubmitTimestamp = Stopwatch.GetTimestamp();
        _fallbackQueue.Enqueue(op);
        Interlocked.MemoryBarrier();
        _workers[0].Parker.UnparkIfParked();
        if (_disposed)
        {
            // Dispose may have swept the queue before our operation was in it; nobody else will.
            FailFallbackQueue();
        }
    }

    /// <summary>After the workers have stopped: fails every queued off-loop operation. Any thread, any number at once.</summary>
    private void FailFallbackQueue()
    {
        while (_fallbackQueue.TryDequeue(out OffloadOperation? op))
        {
            op.DeviceError = StoppedError("the operation never reached it.");
            op.OnDeviceDone();
            ReleaseFallbackSlot();
        }
    }

    private Exception? PreCheck(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return StoppedError("it takes no more operations.");
        }

        if (_workers.Length == 0)
        {
            return new InvalidOperationException($"The device '{Name}' has not started its workers.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException(cancellationToken);
        }

        if (Loop.Current is { Group.IsCancelling: true } loop)
        {
            return new OperationCanceledException("The loop group is shutting down.", loop.Group.Stopping);
        }

        return null;
    }

    private DeviceChannel ChannelFor(Loop loop)
    {
        DeviceChannel?[] channels = Volatile.Read(ref _channels);
        int id = loop.GlobalId;
        if ((uint)id < (uint)channels.Length && channels[id] is { } existing)
        {
            return existing;
        }

        return CreateChannel(loop);
    }

    /// <summary>Owning loop: its channel to this device, created on its first submission.</summary>
    private DeviceChannel CreateChannel(Loop loop)
    {
        DeviceChannel channel;
        lock (_gate)
        {
            int id = loop.GlobalId;
            DeviceChannel?[] channels = _channels;
            DeviceChannel?[] copy = new DeviceChannel?[Math.Max(channels.Length, id + 1)];
            Array.Copy(channels, copy, channels.Length);
            DeviceWorker worker = _workers[_nextWorker++ % _workers.Length];
            channel = new DeviceChannel(loop, RingCapacity, worker, _maxQueued, _overflow);
            channel.Slot = loop.Completions.Attach(channel);
            copy[id] = channel;
            Volatile.Write(ref _channels, copy);
            worker.AddChannel(channel);
        }

        return channel;
    }
}
