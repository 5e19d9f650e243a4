namespace Interlude.Harness.Wake;

/// <summary>A flag guarded by <see cref="Monitor"/>: the signaller sets it and pulses, the waiter waits for it and clears it.</summary>
public sealed class MonitorPrimitive : IWakePrimitive
{
    private readonly object _gate = new();

    // Under _gate.
    private bool _signaled;

    public void Signal()
    {
        lock (_gate)
        {
            _signaled = true;
            Monitor.Pulse(_gate);
        }
    }

    public void Wait()
    {
        lock (_gate)
        {
            while (!_signaled)
            {
                Monitor.Wait(_gate);
            }

            _signaled = false;
        }
    }

    public void Dispose()
    {
    }
}
