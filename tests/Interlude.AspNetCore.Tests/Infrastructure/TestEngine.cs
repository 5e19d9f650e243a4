using System.Diagnostics;

namespace Interlude.AspNetCore.Tests.Infrastructure;

/// <summary>
/// An engine with one device thread that can fail chosen operations and take its time over the others: the
/// handshake offload's failures and slow steps, on demand.
/// </summary>
internal sealed class TestEngine : Accelerator
{
    private readonly Func<int, Exception?> _failure;
    private readonly TimeSpan _delay;

    /// <param name="failure">Given the operation's number (from 1), the error to fail it with, or null to run it.</param>
    /// <param name="delay">How long the device thread sleeps before running each operation.</param>
    /// <param name="ringCapacity">The engine's ring capacity.</param>
    public TestEngine(Func<int, Exception?>? failure = null, TimeSpan delay = default, int ringCapacity = 1024)
        : base("test-engine", new AcceleratorOptions { RingCapacity = ringCapacity, IdleSpin = TimeSpan.FromMicroseconds(50), StopTimeout = TimeSpan.FromSeconds(10) })
    {
        _failure = failure ?? (_ => null);
        _delay = delay;
        StartWorkers([new Worker(this)]);
    }

    /// <summary>Operations the device thread has taken so far.</summary>
    public int Taken => Volatile.Read(ref _taken);

    private int _taken;

    private sealed class Worker(TestEngine device) : DeviceWorker(device, 0, null, TimeSpan.FromMicroseconds(50))
    {
        protected override void Accept(DeviceOperation operation, long now)
        {
            int number = Interlocked.Increment(ref device._taken);
            if (device._failure(number) is { } error)
            {
                operation.SetError(error);
            }
            else
            {
                if (device._delay > TimeSpan.Zero)
                {
                    Thread.Sleep(device._delay);
                }

                operation.Execute();
            }

            Complete(operation, Stopwatch.GetTimestamp());
        }
    }
}
