using System.Collections.Concurrent;
using System.Diagnostics;
using Interlude.Devices;
using Interlude.Offload;

namespace Interlude;

/// <summary>
/// A device that runs offloaded work while the submitting coroutine is suspended. Each loop that submits gets
/// its own channel (a submission ring and a completion ring) on first use; the loop reaps completions in its
/// poll phase and resumes the awaiting coroutine inline on its own thread.
/// </summary>
/// <remarks>
/// Submitting from a thread that is not a loop (the fallback path) also works: the operation goes through a
/// shared queue bounded by <see cref="RingCapacity"/> (waiting asynchronously when full), and its continuation
/// runs on the caller's captured context or on the ThreadPool. It is slower and meant for tests, tools and
/// start-up code, not for the hot path.
/// </remarks>
public abstract class Accelerator : IDisposable
{
    private readonly object _gate = new();
    private readonly ConcurrentQueue<OffloadOperation> _fallbackQueue = new();
    private readonly SemaphoreSlim _fallbackSlots;
    private readonly bool _inlineCompletions;
    private DeviceWorker[] _workers = [];

    // Indexed by Loop.GlobalId. Replaced (copy on write) under _gate; read without a lock by submitting loops.
    private DeviceChannel?[] _channels = [];
    private int _nextWorker;

    // Written once by Dispose; read by submitters and workers.
    private volatile bool _disposed;

    private protected Accelerator(string name, AcceleratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Name = name;
        RingCapacity = options.RingCapacity;
        _inlineCompletions = options.UnsafeInlineCompletions;
        _fallbackSlots = new SemaphoreSlim(RingCapacity, RingCapacity);
    }

    /// <summary>A name for logs and reports.</summary>
    public string Name { get; }

    /// <summary>Operations one loop may have outstanding on this device before submissions wait.</summary>
    public int RingCapacity { get; }

    internal bool IsDisposed => _disposed;

    /// <summary>The device threads, in order.</summary>
    internal IReadOnlyList<DeviceWorker> Workers => _workers;

    /// <summary>Any thread: the channel <paramref name="loop"/> submits on; null before its first submission or after it exited.</summary>
    internal DeviceChannel? ChannelOf(Loop loop)
    {
        DeviceChannel?[] channels = Volatile.Read(ref _channels);
        return (uint)loop.GlobalId < (uint)channels.Length ? channels[loop.GlobalId] : null;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the device and completes with its result. The work function runs on a
    /// device thread: it must not touch the submitting coroutine's state. Its exception, a device error or a
    /// cancellation of <paramref name="cancellationToken"/> completes the returned task with that exception.
    /// </summary>
    public ValueTask<TResult> SubmitAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(work, state, cancellationToken);
    }

    /// <summary>Stops the device threads. Operations still held by the device fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        foreach (DeviceWorker worker in _workers)
        {
            worker.Stop();
        }

        // An off-loop submission may have been queued after the workers' last sweep: the workers are gone,
        // so this thread may consume the queue.
        FailFallbackQueue();

        // A loop may have pushed after its worker's last sweep of the rings; each loop fails those itself.
        foreach (DeviceChannel? channel in Volatile.Read(ref _channels))
        {
            channel?.Loop.Schedule(static c => ((DeviceChannel)c!).FailStranded(), channel);
        }

        GC.SuppressFinalize(this);
    }

    private protected void StartWorkers(DeviceWorker[] workers)
    {
        _workers = workers;
        foreach (DeviceWorker worker in workers)
        {
            worker.Start();
        }
    }

    private protected ValueTask<TResult> Submit<TState, TResult>(Func<TState, TResult>? work, TState state, CancellationToken cancellationToken)
    {
        if (PreCheck(cancellationToken) is { } refused)
        {
            return ValueTask.FromException<TResult>(refused);
        }

        Loop? loop = Loop.Current;
        if (loop is null)
        {
            return SubmitFallback(work, state, cancellationToken);
        }

        DeviceChannel channel = ChannelFor(loop);
        var op = OffloadOperation<TState, TResult>.Rent(work, state, channel);
        op.RegisterCancellation(cancellationToken);
        channel.Submit(op);
        return new ValueTask<TResult>(op, op.Version);
    }

    /// <param name="serviceTicks">The operation's service time in Stopwatch ticks, or -1 for the device's own.</param>
    private protected ValueTask SubmitWithoutResult(CancellationToken cancellationToken, long serviceTicks = -1)
    {
        if (PreCheck(cancellationToken) is { } refused)
        {
            return ValueTask.FromException(refused);
        }

        Loop? loop = Loop.Current;
        if (loop is null)
        {
            if (!_fallbackSlots.Wait(0))
            {
                return new ValueTask(SubmitFallbackAsync<byte, byte>(null, 0, cancellationToken, serviceTicks).AsTask());
            }

            OffloadOperation<byte, byte> queued = EnqueueFallback<byte, byte>(null, 0, cancellationToken, serviceTicks);
            return new ValueTask(queued, queued.Version);
        }

        DeviceChannel channel = ChannelFor(loop);
        var op = OffloadOperation<byte, byte>.Rent(null, 0, channel);
        op.ServiceTicks = serviceTicks;
        op.RegisterCancellation(cancellationToken);
        channel.Submit(op);
        return new ValueTask(op, op.Version);
    }

    /// <summary>
    /// An off-loop offload (no work function) whose continuation runs on the device thread that completes it,
    /// the way an interrupt handler wakes a sleeping thread directly. For the thread-per-request baselines of
    /// the comparison, whose continuation only releases a blocked or spinning thread; never for user code.
    /// Waits synchronously for a fallback slot when <see cref="RingCapacity"/> are outstanding.
    /// </summary>
    /// <param name="serviceTime">The operation's own service time on a simulated device; null for the device's.</param>
    internal ValueTask SubmitCompletingOnDevice(TimeSpan? serviceTime = null, CancellationToken cancellationToken = default)
    {
        long serviceTicks = serviceTime is { } time ? ToServiceTicks(time) : -1;
        if (PreCheck(cancellationToken) is { } refused)
        {
            return ValueTask.FromException(refused);
        }

        _fallbackSlots.Wait(cancellationToken);
        var op = OffloadOperation<byte, byte>.Rent(null, 0, channel: null);
        op.ServiceTicks = serviceTicks;
        op.ContinueOnCompletingThread();
        op.RegisterCancellation(cancellationToken);
        EnqueueFallback(op);
        return new ValueTask(op, op.Version);
    }

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

    /// <summary>Device worker: the next operation submitted off any loop, if a worker may take one.</summary>
    internal bool TryTakeFallback(out OffloadOperation? op) => _fallbackQueue.TryDequeue(out op);

    internal bool HasFallbackWork => !_fallbackQueue.IsEmpty;

    /// <summary>Device worker: a fallback operation is finished and its slot is free again.</summary>
    internal void ReleaseFallbackSlot() => _fallbackSlots.Release();

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
            op.DeviceError = new ObjectDisposedException(Name, "The accelerator was disposed before the operation reached it.");
            op.OnDeviceDone();
            ReleaseFallbackSlot();
        }
    }

    /// <summary>A non-negative service time in Stopwatch ticks, capped like the device's own draws.</summary>
    private protected static long ToServiceTicks(TimeSpan serviceTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(serviceTime, TimeSpan.Zero);
        return (long)Math.Min(serviceTime.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);
    }

    private Exception? PreCheck(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return new ObjectDisposedException(Name, "The accelerator has been disposed.");
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
            channel = new DeviceChannel(loop, RingCapacity, worker);
            channel.Slot = loop.Completions.Attach(channel);
            copy[id] = channel;
            Volatile.Write(ref _channels, copy);
            worker.AddChannel(channel);
        }

        return channel;
    }

    /// <summary>
    /// Off any loop: takes a fallback slot and queues the operation, without an await when a slot is free;
    /// otherwise waits for one asynchronously.
    /// </summary>
    private ValueTask<TResult> SubmitFallback<TState, TResult>(Func<TState, TResult>? work, TState state, CancellationToken cancellationToken, long serviceTicks = -1)
    {
        if (!_fallbackSlots.Wait(0))
        {
            return SubmitFallbackAsync(work, state, cancellationToken, serviceTicks);
        }

        OffloadOperation<TState, TResult> op = EnqueueFallback(work, state, cancellationToken, serviceTicks);
        return new ValueTask<TResult>(op, op.Version);
    }

    private async ValueTask<TResult> SubmitFallbackAsync<TState, TResult>(Func<TState, TResult>? work, TState state, CancellationToken cancellationToken, long serviceTicks)
    {
        await _fallbackSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        OffloadOperation<TState, TResult> op = EnqueueFallback(work, state, cancellationToken, serviceTicks);
        return await new ValueTask<TResult>(op, op.Version).ConfigureAwait(false);
    }

    /// <summary>Holding a fallback slot: rents, configures and queues an off-loop operation.</summary>
    private OffloadOperation<TState, TResult> EnqueueFallback<TState, TResult>(Func<TState, TResult>? work, TState state, CancellationToken cancellationToken, long serviceTicks)
    {
        var op = OffloadOperation<TState, TResult>.Rent(work, state, channel: null);
        op.ServiceTicks = serviceTicks;
        if (_inlineCompletions)
        {
            op.ContinueOnCompletingThread();
        }

        op.RegisterCancellation(cancellationToken);
        EnqueueFallback(op);
        return op;
    }
}
