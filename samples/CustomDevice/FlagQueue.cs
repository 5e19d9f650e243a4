using Interlude;

namespace CustomDevice;

/// <summary>
/// One loop's queue on a <see cref="FlagDevice"/>, and the poller through which the loop finds its completions.
/// The loop writes commands into a ring and publishes how many it wrote in a host word; the device thread reads
/// them, and when it finishes one it writes how many it has finished into another host word, the way a GPU
/// stream writes a value into mapped memory after a kernel. Completions are reported in submission order.
/// </summary>
/// <remarks>
/// Who touches what:
/// - <c>_commands</c>: the loop writes a command's service time before publishing it in the Submitted word; the
///   device reads it after reading that word. A slot is rewritten only after its command completed and was
///   reaped, so the device has read it.
/// - Submitted word: the loop writes (release), the device reads (acquire).
/// - Completed word: the device writes (release), the loop reads (acquire) in <see cref="Poll"/>.
/// - Armed word: the loop sets it with a full fence before it sleeps and clears it after; the device, after
///   publishing a completion and a full fence, clears it and wakes the loop if it was set.
/// - Everything else: the loop only. The device's own position lives in its <see cref="QueueCursor"/>.
/// </remarks>
internal sealed unsafe class FlagQueue : ILoopPoller
{
    private const int SubmittedWord = 0;
    private const int CompletedWord = 1;
    private const int ArmedWord = 2;

    private readonly FlagDevice _device;
    private readonly HostWords _words;
    private readonly long* _submittedWord;
    private readonly long* _completedWord;
    private readonly long* _armedWord;
    private readonly long[] _commands;
    private readonly FlagOperation?[] _inFlight;
    private readonly int _mask;

    // Loop only.
    private readonly Queue<FlagOperation> _waiting = new();
    private readonly Stack<FlagOperation> _pool = new();
    private long _submitted;
    private long _reaped;
    private bool _removed;

    internal FlagQueue(FlagDevice device, Loop loop, int capacity)
    {
        _device = device;
        Loop = loop;
        _words = new HostWords(3);
        _submittedWord = _words.Word(SubmittedWord);
        _completedWord = _words.Word(CompletedWord);
        _armedWord = _words.Word(ArmedWord);
        _commands = new long[capacity];
        _inFlight = new FlagOperation?[capacity];
        _mask = capacity - 1;
        Cursor = new QueueCursor(this, capacity);
    }

    internal Loop Loop { get; }

    /// <summary>The device thread's side of this queue.</summary>
    internal QueueCursor Cursor { get; }

    /// <summary>Device thread: commands the loop has published.</summary>
    internal long ReadSubmitted() => Volatile.Read(ref *_submittedWord);

    /// <summary>Device thread: the service time of command <paramref name="sequence"/>, once published.</summary>
    internal long ReadCommand(long sequence) => _commands[(int)sequence & _mask];

    /// <summary>
    /// Device thread: publishes that the first <paramref name="completed"/> commands are done, and wakes the loop
    /// if it sleeps armed.
    /// </summary>
    internal void PublishCompleted(long completed)
    {
        Volatile.Write(ref *_completedWord, completed);

        // Store-load: the loop arming right now either sees the new count or is seen armed here.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref *_armedWord) != 0 && Interlocked.Exchange(ref *_armedWord, 0) != 0)
        {
            Loop.Wake();
        }
    }

    /// <summary>Loop thread: submits a command that holds the device for <paramref name="serviceTicks"/>.</summary>
    internal ValueTask Submit(long serviceTicks)
    {
        if (_removed)
        {
            return ValueTask.FromException(new ObjectDisposedException(nameof(FlagDevice), "The device or the loop has gone away."));
        }

        FlagOperation op = _pool.Count > 0 ? _pool.Pop() : new FlagOperation();
        ValueTask awaitable = op.Start(this, serviceTicks);
        if (_waiting.Count == 0 && _submitted - _reaped < _commands.Length)
        {
            Publish(op);
        }
        else
        {
            // The device's queue is full: wait, in order, for completions to make room.
            _waiting.Enqueue(op);
        }

        return awaitable;
    }

    /// <summary>Loop thread: an operation whose awaiter has read its outcome comes back for reuse.</summary>
    internal void Return(FlagOperation op)
    {
        if (_pool.Count < _commands.Length)
        {
            _pool.Push(op);
        }
    }

    public bool Poll()
    {
        long completed = Volatile.Read(ref *_completedWord);
        if (completed == _reaped)
        {
            return false;
        }

        while (_reaped < completed)
        {
            int slot = (int)_reaped & _mask;
            FlagOperation op = _inFlight[slot]!;
            _inFlight[slot] = null;
            _reaped++;
            op.Complete();
        }

        while (_waiting.Count > 0 && _submitted - _reaped < _commands.Length)
        {
            Publish(_waiting.Dequeue());
        }

        return true;
    }

    public bool TryEnterInterruptMode()
    {
        Interlocked.Exchange(ref *_armedWord, 1);
        if (Volatile.Read(ref *_completedWord) != _reaped)
        {
            Volatile.Write(ref *_armedWord, 0);
            return false;
        }

        return true;
    }

    public void ExitInterruptMode() => Volatile.Write(ref *_armedWord, 0);

    /// <summary>Loop thread: the loop exits or the device was disposed; nothing will complete what is left.</summary>
    public void OnRemoved()
    {
        if (_removed)
        {
            return;
        }

        _removed = true;
        var gone = new ObjectDisposedException(nameof(FlagDevice), "The device or the loop went away with the operation in flight.");
        for (long sequence = _reaped; sequence < _submitted; sequence++)
        {
            int slot = (int)sequence & _mask;
            FlagOperation? op = _inFlight[slot];
            _inFlight[slot] = null;
            op?.Fail(gone);
        }

        while (_waiting.Count > 0)
        {
            _waiting.Dequeue().Fail(gone);
        }

        // The device thread lets go of the queue and frees its host words once it no longer reads them.
        _device.Forget(this);
    }

    /// <summary>Device thread or disposer, once the device no longer reads the queue.</summary>
    internal void FreeHostMemory() => _words.Free();

    private void Publish(FlagOperation op)
    {
        long sequence = _submitted++;
        int slot = (int)sequence & _mask;
        _inFlight[slot] = op;
        _commands[slot] = op.ServiceTicks;
        Volatile.Write(ref *_submittedWord, _submitted);
        _device.Doorbell();
    }
}
