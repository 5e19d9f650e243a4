namespace Interlude.Devices;

/// <summary>
/// A simulated device thread: a fixed number of lanes, each holding one operation until it is due. Due times
/// live in the worker's own queue, not in the operations: the device writes nothing into an operation it only
/// delays, so the loop that reaps it finds its lines as it left them.
/// </summary>
internal sealed class SimulatedWorker : DeviceWorker
{
    private readonly int _lanes;
    private readonly ServiceTime _serviceTime;
    private readonly double _errorRate;
    private readonly Random _random;
    private readonly PriorityQueue<DeviceOperation, long> _inService;

    internal SimulatedWorker(SimulatedAccelerator device, int index, int? core, int lanes, SimulatedAcceleratorOptions options)
        : base(device, index, core, options.IdleSpin)
    {
        _lanes = lanes;
        _serviceTime = options.ServiceTime;
        _errorRate = options.ErrorRate;
        _random = new Random(unchecked(options.Seed + (index * 7919)));
        _inService = new PriorityQueue<DeviceOperation, long>(lanes);
    }

    protected override bool CanAccept => _inService.Count < _lanes;

    protected override int InService => _inService.Count;

    protected override long NextDueTicks => _inService.TryPeek(out _, out long due) ? due : long.MaxValue;

    protected override void Accept(DeviceOperation operation, long now)
    {
        // A service time set by the submitter (its argument) overrides the distribution and draws nothing from
        // the generator.
        long due = now + (SimulatedAccelerator.TryDecodeServiceTicks(operation.Argument, out long ticks) ? ticks : _serviceTime.SampleTicks(_random));
        if (_errorRate > 0 && _random.NextDouble() < _errorRate)
        {
            operation.SetError(new AcceleratorException("The simulated accelerator failed the operation (injected error)."));
        }
        else if (operation.HasPayload)
        {
            operation.Execute();
        }

        _inService.Enqueue(operation, due);
    }

    protected override bool Advance(long now)
    {
        bool completed = false;
        while (_inService.TryPeek(out DeviceOperation held, out long due) && due <= now)
        {
            _inService.Dequeue();
            Complete(held, now);
            completed = true;
        }

        return completed;
    }

    protected override void DropCancelled(long now)
    {
        // A cancelled operation gives its lane back now instead of holding it for its whole service time.
        var kept = new List<(DeviceOperation Operation, long Due)>(_inService.Count);
        while (_inService.TryDequeue(out DeviceOperation held, out long due))
        {
            if (held.IsCancellationRequested)
            {
                Complete(held, now);
            }
            else
            {
                kept.Add((held, due));
            }
        }

        foreach ((DeviceOperation operation, long due) in kept)
        {
            _inService.Enqueue(operation, due);
        }
    }

    protected override IEnumerable<DeviceOperation> TakeAllInService()
    {
        while (_inService.Count > 0)
        {
            yield return _inService.Dequeue();
        }
    }
}
