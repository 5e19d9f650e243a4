namespace CustomDevice;

/// <summary>
/// The device thread's side of a <see cref="FlagQueue"/>: how far it has read and finished, and when each command
/// it holds is due. Touched only by the device thread, and kept apart from the queue so the loop's lines and the
/// device's never share a cache line.
/// </summary>
internal sealed class QueueCursor
{
    private readonly long[] _dues;
    private readonly int _mask;
    private long _taken;
    private long _finished;
    private long _lastDue;

    internal QueueCursor(FlagQueue queue, int capacity)
    {
        Queue = queue;
        _dues = new long[capacity];
        _mask = capacity - 1;
    }

    internal FlagQueue Queue { get; }

    /// <summary>Commands taken and not yet finished.</summary>
    internal long InService => _taken - _finished;

    /// <summary>
    /// Takes the commands published since the last pass and finishes those due at <paramref name="now"/>,
    /// publishing the new count. Returns whether anything was taken or finished.
    /// </summary>
    internal bool Advance(long now)
    {
        bool worked = false;
        long submitted = Queue.ReadSubmitted();
        while (_taken < submitted)
        {
            // In order, like a stream: a command is due no earlier than the one before it.
            _lastDue = Math.Max(now + Queue.ReadCommand(_taken), _lastDue);
            _dues[(int)_taken & _mask] = _lastDue;
            _taken++;
            worked = true;
        }

        long finished = _finished;
        while (finished < _taken && _dues[(int)finished & _mask] <= now)
        {
            finished++;
        }

        if (finished != _finished)
        {
            _finished = finished;
            Queue.PublishCompleted(finished);
            worked = true;
        }

        return worked;
    }

    /// <summary>Whether the loop has published commands not yet taken.</summary>
    internal bool HasSubmissions => Queue.ReadSubmitted() != _taken;
}
