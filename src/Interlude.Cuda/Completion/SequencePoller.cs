namespace Interlude.Cuda.Completion;

/// <summary>
/// The loop's side of one stream, in plain managed code: which submissions are in flight, which are complete, and
/// the arming protocol that keeps a sleeping loop from missing a completion. Submissions are numbered from the
/// counter's initial value plus one, 32 bits wrapping; the producer publishes the number of the last one done, in
/// order. All arithmetic is modulo 2^32 (<c>published - reaped</c>), so the numbers may wrap at any point.
/// </summary>
/// <remarks>
/// Thread rules: everything is the loop's except <c>_armed</c>, which the loop sets with a full fence before it
/// sleeps and clears after, and which a producer (a host callback, a waiting thread, a requested wake) clears with
/// an exchange after publishing and a full fence, waking the loop if it was set. One of the two always sees the
/// other's write (<see cref="ILoopPoller"/>'s protocol).
/// </remarks>
internal sealed class SequencePoller<T>
    where T : class, ICompletable
{
    private readonly ICompletionCounter _counter;
    private readonly IWakeRequest? _wakeRequest;
    private readonly Action _wake;
    private readonly T?[] _inFlight;
    private readonly uint _mask;

    // Loop only.
    private uint _submitted;
    private uint _reaped;
    private uint _wakeRequestedAt;
    private bool _wakeRequested;

    // Set (exchange) and cleared by the loop; cleared by exchange by the producing thread, which then wakes the loop.
    private int _armed;

    /// <param name="counter">Where completions are published.</param>
    /// <param name="capacity">Submissions in flight at most; a power of two.</param>
    /// <param name="initial">The counter's value before the first submission (tests start near 2^32 to cross the wrap).</param>
    /// <param name="wake">Wakes the loop (<see cref="Loop.Wake"/>); called from a producing thread.</param>
    /// <param name="wakeRequest">For producers that cannot see the armed flag; null when the producer calls <see cref="OnPublished"/> itself.</param>
    internal SequencePoller(ICompletionCounter counter, int capacity, uint initial, Action wake, IWakeRequest? wakeRequest)
    {
        if (capacity < 1 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity must be a power of two.");
        }

        _counter = counter;
        _inFlight = new T?[capacity];
        _mask = (uint)capacity - 1;
        _submitted = initial;
        _reaped = initial;
        _wake = wake;
        _wakeRequest = wakeRequest;
    }

    /// <summary>Loop thread: the number of the last submission made.</summary>
    internal uint Submitted => _submitted;

    /// <summary>Loop thread: the number of the last submission completed here.</summary>
    internal uint Reaped => _reaped;

    /// <summary>Loop thread: submissions made and not yet completed.</summary>
    internal int InFlight => (int)(_submitted - _reaped);

    internal int Capacity => _inFlight.Length;

    internal bool IsFull => InFlight == _inFlight.Length;

    /// <summary>Loop thread: published values that could not be right (ahead of what was submitted); ignored, and counted here.</summary>
    internal long Anomalies { get; private set; }

    /// <summary>Loop thread: whether the loop is armed (for tests and diagnostics).</summary>
    internal bool IsArmed => Volatile.Read(ref _armed) != 0;

    /// <summary>Loop thread: numbers a new submission, which the producer will publish once its work is done.</summary>
    /// <exception cref="InvalidOperationException">The stream already has <see cref="Capacity"/> submissions in flight.</exception>
    internal uint Add(T operation)
    {
        if (IsFull)
        {
            throw new InvalidOperationException($"This loop's stream already has {Capacity} operations in flight (CudaDeviceOptions.MaxInFlightPerLoop).");
        }

        uint sequence = _submitted + 1;
        _inFlight[sequence & _mask] = operation;
        _submitted = sequence;
        return sequence;
    }

    /// <summary>Loop thread: the next submission's number, before <see cref="Add"/> commits it (the stream's work must carry it).</summary>
    internal uint Next => _submitted + 1;

    /// <summary>Loop thread: completes, in order, every submission the counter says is done. Returns whether there were any.</summary>
    internal bool Poll()
    {
        uint published = _counter.Read();
        uint done = published - _reaped;
        if (done == 0)
        {
            return false;
        }

        if (done > (uint)InFlight)
        {
            // A value behind what was reaped or ahead of what was submitted: not a completion.
            Anomalies++;
            return false;
        }

        for (uint i = 0; i < done; i++)
        {
            uint sequence = _reaped + 1;
            T operation = _inFlight[sequence & _mask]!;
            _inFlight[sequence & _mask] = null;
            _reaped = sequence;
            operation.Complete();
        }

        return true;
    }

    /// <summary>
    /// Loop thread, before sleeping: arms, then refuses (disarming) if a completion is already there. With work in
    /// flight and a producer that cannot see the flag, asks once per submission for a wake after it.
    /// </summary>
    internal bool TryArm()
    {
        Interlocked.Exchange(ref _armed, 1);
        if (_counter.Read() != _reaped)
        {
            Volatile.Write(ref _armed, 0);
            return false;
        }

        if (_wakeRequest is not null && InFlight > 0 && !(_wakeRequested && _wakeRequestedAt == _submitted))
        {
            _wakeRequested = true;
            _wakeRequestedAt = _submitted;
            _wakeRequest.RequestWake();
        }

        return true;
    }

    /// <summary>Loop thread: after a sleep or a rolled-back attempt.</summary>
    internal void Disarm() => Volatile.Write(ref _armed, 0);

    /// <summary>
    /// Producing thread, after publishing a completion (or when a requested wake runs): wakes the loop if it sleeps
    /// armed. No system call while the loop is awake.
    /// </summary>
    internal void OnPublished()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _armed) != 0 && Interlocked.Exchange(ref _armed, 0) != 0)
        {
            _wake();
        }
    }

    /// <summary>Loop thread: fails everything in flight (the device or the loop went away); nothing will complete it.</summary>
    internal void FailAll(Exception error)
    {
        while (_reaped != _submitted)
        {
            uint sequence = _reaped + 1;
            T? operation = _inFlight[sequence & _mask];
            _inFlight[sequence & _mask] = null;
            _reaped = sequence;
            operation?.Fail(error);
        }
    }
}
