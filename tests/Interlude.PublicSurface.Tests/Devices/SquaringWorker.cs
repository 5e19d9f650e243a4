using System.Collections.Concurrent;
using System.Diagnostics;

namespace Interlude.PublicSurface.Tests.Devices;

/// <summary>The <see cref="SquaringEngine"/>'s device thread: gathers requests and answers a batch when it is full or has waited long enough.</summary>
internal sealed class SquaringWorker : DeviceWorker
{
    private readonly int _batchSize;
    private readonly long _maxDelayTicks;
    private readonly List<DeviceOperation> _batch = [];
    private long _batchStartedAt;
    private long _requestsAccepted;
    private volatile bool _paused;

    public SquaringWorker(Accelerator device, int batchSize, TimeSpan maxBatchDelay, TimeSpan idleSpin)
        : base(device, index: 0, core: null, idleSpin)
    {
        _batchSize = batchSize;
        _maxDelayTicks = (long)(maxBatchDelay.TotalSeconds * Stopwatch.Frequency);
    }

    public ConcurrentQueue<long> ArgumentsSeen { get; } = new();

    public long RequestsAccepted => Volatile.Read(ref _requestsAccepted);

    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    protected override bool CanAccept => !_paused && _batch.Count < _batchSize;

    protected override int InService => _batch.Count;

    protected override long NextDueTicks => _batch.Count == 0 ? long.MaxValue : _batchStartedAt + _maxDelayTicks;

    protected override void Accept(DeviceOperation operation, long now)
    {
        if (!operation.HasPayload)
        {
            ArgumentsSeen.Enqueue(operation.Argument);
            Complete(operation, now);
            return;
        }

        Interlocked.Increment(ref _requestsAccepted);
        if (operation.GetRequest<int>() == SquaringEngine.Unlucky)
        {
            // A model bug, on purpose: the device must stop and tell every awaiter.
            throw new InvalidOperationException("The model cannot handle this one.");
        }

        if (_batch.Count == 0)
        {
            _batchStartedAt = now;
        }

        _batch.Add(operation);
    }

    protected override bool Advance(long now)
    {
        if (_paused || _batch.Count == 0 || (_batch.Count < _batchSize && now < _batchStartedAt + _maxDelayTicks))
        {
            return false;
        }

        foreach (DeviceOperation operation in _batch)
        {
            Answer(operation);
            Complete(operation, now);
        }

        _batch.Clear();
        return true;
    }

    protected override IEnumerable<DeviceOperation> TakeAllInService()
    {
        DeviceOperation[] held = [.. _batch];
        _batch.Clear();
        return held;
    }

    private static void Answer(DeviceOperation operation)
    {
        try
        {
            int value = operation.GetRequest<int>();
            if (value == int.MinValue)
            {
                return;
            }

            if (value < 0)
            {
                operation.SetError(new ArgumentException($"The device cannot square {value}."));
                return;
            }

            operation.SetResult((long)value * value);
        }
        catch (InvalidOperationException ex)
        {
            operation.SetError(ex);
        }
    }
}
