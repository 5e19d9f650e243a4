using Interlude.Cuda.Completion;
using Interlude.Cuda.Interop;

namespace Interlude.Cuda.Device;

/// <summary>
/// The interrupt-style helper of <see cref="CudaCompletionMode.BlockingEvent"/>: a thread that sleeps in
/// cuEventSynchronize on each submission's blocking-sync event in turn, publishes the count, and wakes the loop
/// only if it sleeps armed.
/// </summary>
/// <remarks>
/// <c>_target</c>: written (release) by the loop after recording an event, read by this thread. <c>_sleeping</c>:
/// set by this thread (full fence) before it sleeps, read by the loop after its full fence; the pair makes sure a
/// submission is never slept through. The events' slots are reused only after the loop reaped them, which needs
/// this thread to have published them first.
/// </remarks>
internal sealed class EventWaiter
{
    private readonly CudaDevice _device;
    private readonly nint[] _events;
    private readonly uint _mask;
    private readonly PublishedCounter _counter;
    private readonly SequencePoller<CudaOperation> _poller;
    private readonly FastWakeEvent _bell = new();
    private readonly Thread _thread;
    private uint _target;
    private int _sleeping;
    private volatile bool _stopping;

    internal EventWaiter(CudaDevice device, nint[] events, uint mask, PublishedCounter counter, SequencePoller<CudaOperation> poller)
    {
        _device = device;
        _events = events;
        _mask = mask;
        _counter = counter;
        _poller = poller;
        _thread = new Thread(Run) { IsBackground = true, Name = "cuda-event-waiter" };
        _thread.Start();
    }

    /// <summary>Loop thread: submissions up to <paramref name="sequence"/> have their events recorded.</summary>
    internal void Submitted(uint sequence)
    {
        Volatile.Write(ref _target, sequence);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0)
        {
            _bell.Set();
        }
    }

    internal void Stop()
    {
        _stopping = true;
        _bell.Set();
        _thread.Join();
    }

    private void Run()
    {
        _device.MakeCurrent();
        uint done = _counter.Read();
        while (!_stopping)
        {
            if (Volatile.Read(ref _target) == done)
            {
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref _target) == done && !_stopping)
                {
                    _bell.Wait();
                }

                Volatile.Write(ref _sleeping, 0);
                continue;
            }

            uint next = done + 1;

            // A failed wait (a sticky context error) publishes anyway: the loop's operations must not hang; the
            // next submission on the broken context fails at its enqueue.
            _ = Driver.cuEventSynchronize(_events[next & _mask]);
            done = next;
            _counter.Publish(done);
            _poller.OnPublished();
        }
    }
}
