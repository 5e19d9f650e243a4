using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Interlude.Cuda.Completion;
using Interlude.Cuda.Interop;

namespace Interlude.Cuda.Device;

/// <summary>
/// One loop's stream on a <see cref="CudaDevice"/> and the poller through which that loop finds its completions.
/// Created on the loop's thread at its first submission; every method but the producers' callbacks runs there.
/// </summary>
/// <remarks>
/// Who touches what: the stream, events, cuBLAS handle, pool and <see cref="SequencePoller{T}"/>'s own state belong
/// to the loop. The mapped word is written by the GPU and read by the loop. In <see cref="CudaCompletionMode.HostCallback"/>
/// mode CUDA's callback thread publishes the count; in <see cref="CudaCompletionMode.BlockingEvent"/> mode the
/// <see cref="EventWaiter"/> thread does. Both then wake the loop through the poller's armed flag.
/// </remarks>
internal sealed unsafe class CudaStreamQueue : ILoopPoller, IWakeRequest
{
    private readonly CudaDevice _device;
    private readonly CudaCompletionMode _mode;
    private readonly SequencePoller<CudaOperation> _poller;
    private readonly PublishedCounter? _published;
    private readonly EventQueryCounter? _eventQuery;
    private readonly EventWaiter? _waiter;
    private readonly nint[] _events;
    private readonly uint _mask;
    private readonly Stack<CudaOperation> _pool = new();
    private readonly uint* _hostWord;
    private readonly ulong _deviceWord;
    private GCHandle _self;
    private nint _stream;
    private nint _blas;
    private bool _removed;

    internal CudaStreamQueue(CudaDevice device, Loop loop)
    {
        _device = device;
        Loop = loop;
        _mode = device.Options.Completion;
        int capacity = device.Options.MaxInFlightPerLoop;
        _mask = (uint)capacity - 1;
        device.MakeCurrent();
        nint stream;
        CudaErrors.Check(Driver.cuStreamCreate(&stream, Driver.StreamNonBlocking), "cuStreamCreate");
        _stream = stream;
        void* word;
        CudaErrors.Check(Driver.cuMemHostAlloc(&word, 64, Driver.MemHostAllocDeviceMap | Driver.MemHostAllocPortable), "cuMemHostAlloc");
        _hostWord = (uint*)word;
        *_hostWord = 0;
        ulong deviceWord;
        CudaErrors.Check(Driver.cuMemHostGetDevicePointer_v2(&deviceWord, word, 0), "cuMemHostGetDevicePointer_v2");
        _deviceWord = deviceWord;
        _self = GCHandle.Alloc(this);

        _events = _mode is CudaCompletionMode.EventQuery or CudaCompletionMode.BlockingEvent ? new nint[capacity] : [];
        uint eventFlags = Driver.EventDisableTiming | (_mode == CudaCompletionMode.BlockingEvent ? Driver.EventBlockingSync : 0);
        for (int i = 0; i < _events.Length; i++)
        {
            nint created;
            CudaErrors.Check(Driver.cuEventCreate(&created, eventFlags), "cuEventCreate");
            _events[i] = created;
        }

        ICompletionCounter counter;
        IWakeRequest? wakeRequest = null;
        switch (_mode)
        {
            case CudaCompletionMode.MappedFlag:
                counter = new MappedCounter(_hostWord);
                wakeRequest = this;
                break;
            case CudaCompletionMode.EventQuery:
                _eventQuery = new EventQueryCounter(_events, _mask);
                counter = _eventQuery;
                wakeRequest = this;
                break;
            default:
                _published = new PublishedCounter(0);
                counter = _published;
                break;
        }

        _poller = new SequencePoller<CudaOperation>(counter, capacity, 0, loop.Wake, wakeRequest);
        if (_eventQuery is not null)
        {
            _eventQuery.Poller = _poller;
        }

        if (_mode == CudaCompletionMode.BlockingEvent)
        {
            _waiter = new EventWaiter(device, _events, _mask, _published!, _poller);
        }
    }

    internal Loop Loop { get; }

    internal nint Stream => _stream;

    /// <summary>Loop thread: this stream's cuBLAS handle, created on first use and bound to the stream.</summary>
    internal nint Blas
    {
        get
        {
            if (_blas == 0)
            {
                CudaLibraries.EnsureCublas();
                nint handle;
                CudaErrors.CheckCublas(Cublas.cublasCreate_v2(&handle), "cublasCreate_v2");
                CudaErrors.CheckCublas(Cublas.cublasSetStream_v2(handle, _stream), "cublasSetStream_v2");
                _blas = handle;
            }

            return _blas;
        }
    }

    internal CudaDevice Device => _device;

    /// <summary>Loop thread: enqueues the caller's work, then the completion mark; the awaitable completes on this loop.</summary>
    internal ValueTask Submit<TState>(Action<CudaStream, TState> enqueue, TState state)
    {
        if (_removed)
        {
            return ValueTask.FromException(new ObjectDisposedException(nameof(CudaDevice), "The device or the loop has gone away."));
        }

        if (_poller.IsFull)
        {
            return ValueTask.FromException(new InvalidOperationException(
                $"This loop already has {_poller.Capacity} GPU operations in flight (CudaDeviceOptions.MaxInFlightPerLoop)."));
        }

        try
        {
            enqueue(new CudaStream(this), state);
            MarkCompletion(_poller.Next);
        }
        catch (CudaException e)
        {
            return ValueTask.FromException(e);
        }

        CudaOperation op = _pool.Count > 0 ? _pool.Pop() : new CudaOperation();
        ValueTask awaitable = op.Start(this);
        _poller.Add(op);
        _waiter?.Submitted(_poller.Submitted);
        return awaitable;
    }

    internal void Return(CudaOperation op)
    {
        if (_pool.Count < _poller.Capacity)
        {
            _pool.Push(op);
        }
    }

    public bool Poll()
    {
        bool worked = _poller.Poll();
        if (_eventQuery?.Error is { } error)
        {
            _eventQuery.Error = null;
            _poller.FailAll(error);
            return true;
        }

        return worked;
    }

    public bool TryEnterInterruptMode() => _poller.TryArm();

    public void ExitInterruptMode() => _poller.Disarm();

    /// <summary>Loop thread, while arming with work in flight: one host function after the work so far wakes the loop.</summary>
    void IWakeRequest.RequestWake()
    {
        // A failure here leaves the loop to sleep until something else wakes it; the poll after that sees the state.
        _ = Driver.cuLaunchHostFunc(_stream, &OnWakeFunction, (void*)GCHandle.ToIntPtr(_self));
    }

    public void OnRemoved()
    {
        if (_removed)
        {
            return;
        }

        _removed = true;
        _device.MakeCurrent();
        _ = Driver.cuStreamSynchronize(_stream);
        _waiter?.Stop();
        _poller.Poll();
        _poller.FailAll(new ObjectDisposedException(nameof(CudaDevice), "The device or the loop went away with the operation in flight."));
        if (_blas != 0)
        {
            _ = Cublas.cublasDestroy_v2(_blas);
            _blas = 0;
        }

        foreach (nint e in _events)
        {
            _ = Driver.cuEventDestroy_v2(e);
        }

        _ = Driver.cuStreamDestroy_v2(_stream);
        _stream = 0;
        _ = Driver.cuMemFreeHost(_hostWord);
        _self.Free();
        _device.Forget(this);
    }

    [UnmanagedCallersOnly]
    private static void OnHostFunction(void* self)
    {
        var queue = Unsafe.As<CudaStreamQueue>(GCHandle.FromIntPtr((nint)self).Target!);

        // Host functions of one stream run one at a time, in order: this thread is the counter's only writer.
        queue._published!.Publish(queue._published.Read() + 1);
        queue._poller.OnPublished();
    }

    [UnmanagedCallersOnly]
    private static void OnWakeFunction(void* self)
    {
        var queue = Unsafe.As<CudaStreamQueue>(GCHandle.FromIntPtr((nint)self).Target!);
        queue._poller.OnPublished();
    }

    private void MarkCompletion(uint sequence)
    {
        switch (_mode)
        {
            case CudaCompletionMode.MappedFlag:
                CudaErrors.Check(Driver.cuStreamWriteValue32_v2(_stream, _deviceWord, sequence, Driver.StreamWriteValueDefault), "cuStreamWriteValue32_v2");
                break;
            case CudaCompletionMode.EventQuery:
            case CudaCompletionMode.BlockingEvent:
                CudaErrors.Check(Driver.cuEventRecord(_events[sequence & _mask], _stream), "cuEventRecord");
                break;
            case CudaCompletionMode.HostCallback:
                CudaErrors.Check(Driver.cuLaunchHostFunc(_stream, &OnHostFunction, (void*)GCHandle.ToIntPtr(_self)), "cuLaunchHostFunc");
                break;
        }
    }
}
