using System.Diagnostics;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Wake;

/// <summary>
/// One point of the primitive comparison: a waker thread and a waiter thread ping-pong over two primitives of
/// one kind. Each round the waker idles for the gap (spinning, so the gap is exact), takes a timestamp and
/// signals; the waiter takes its own timestamp as soon as it wakes, records the difference, and signals back.
/// Only the waker-to-waiter direction is measured.
/// </summary>
/// <remarks>
/// The waiter's CPU time (getrusage RUSAGE_THREAD, read on the waiter) over the measured wall time is its busy
/// fraction: near 0 for a waiter that sleeps, near 1 for one that spins. Both threads are dedicated and pinned
/// (when the OS allows); a lost wake or a stuck primitive ends the run with <see cref="TimeoutException"/>.
/// </remarks>
public sealed class PingPongRun
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);

    private readonly IWakePrimitive _toWaiter;
    private readonly IWakePrimitive _toWaker;
    private readonly int _wakerCore;
    private readonly int _waiterCore;
    private readonly long _gapTicks;
    private readonly int _warmup;
    private readonly int _samples;

    // Written by the waiter thread only; read by the caller after both threads are joined.
    private readonly LatencyHistogram _latency = new();
    private WaitingCost _cost;
    private Exception? _failure;

    // Written by the waker just before each signal; read by the waiter right after it wakes.
    private long _signalStamp;

    // Written by the waker (cancellation) or the caller (hang); read by both threads after each wake.
    private volatile bool _stop;

    public PingPongRun(WakePrimitiveKind kind, int wakerCore, int waiterCore, int gapUs, int warmup, int samples)
    {
        _toWaiter = kind.Create();
        _toWaker = kind.Create();
        _wakerCore = wakerCore;
        _waiterCore = waiterCore;
        _gapTicks = (long)(gapUs * 1e-6 * Stopwatch.Frequency);
        _warmup = warmup;
        _samples = samples;
    }

    /// <summary>Runs the point on two new threads and returns what the waiter measured.</summary>
    public (LatencyHistogram Latency, WaitingCost Cost) Execute(CancellationToken cancellationToken)
    {
        try
        {
            var waiter = new Thread(WaiterLoop) { IsBackground = true, Name = "interlude-wake-waiter" };
            var waker = new Thread(() => WakerLoop(cancellationToken)) { IsBackground = true, Name = "interlude-wake-waker" };
            waiter.Start();
            waker.Start();
            TimeSpan limit = s_hangGuard + TimeSpan.FromTicks(_gapTicks * (_warmup + _samples) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
            if (!waker.Join(limit) || !waiter.Join(s_hangGuard))
            {
                _stop = true;
                _toWaiter.Signal();
                _toWaker.Signal();
                throw new TimeoutException($"The ping-pong did not finish within {limit.TotalSeconds:0} s: a wake was lost or a thread is starved.");
            }

            if (_failure is not null)
            {
                throw new InvalidOperationException("A ping-pong thread failed.", _failure);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return (_latency, _cost);
        }
        finally
        {
            _toWaiter.Dispose();
            _toWaker.Dispose();
        }
    }

    private void WakerLoop(CancellationToken cancellationToken)
    {
        try
        {
            CpuAffinity.TryPinCurrentThread(_wakerCore);
            for (int round = 0; round < _warmup + _samples; round++)
            {
                if (cancellationToken.IsCancellationRequested || _stop)
                {
                    break;
                }

                if (_gapTicks > 0)
                {
                    long until = Stopwatch.GetTimestamp() + _gapTicks;
                    while (Stopwatch.GetTimestamp() < until)
                    {
                        Thread.SpinWait(1);
                    }
                }

                Volatile.Write(ref _signalStamp, Stopwatch.GetTimestamp());
                _toWaiter.Signal();
                _toWaker.Wait();
            }
        }
        catch (Exception ex)
        {
            _failure ??= ex;
        }
        finally
        {
            // Releases the waiter if the run stopped early; harmless after the last round (nobody waits).
            _stop = true;
            _toWaiter.Signal();
        }
    }

    private void WaiterLoop()
    {
        try
        {
            CpuAffinity.TryPinCurrentThread(_waiterCore);
            var meter = new WaitingCostMeter(ResourceUsage.ReadCurrentThread);
            for (int round = 0; round < _warmup + _samples; round++)
            {
                if (round == _warmup)
                {
                    meter.Start();
                }

                _toWaiter.Wait();
                long wokeAt = Stopwatch.GetTimestamp();
                if (_stop)
                {
                    return;
                }

                if (round >= _warmup)
                {
                    _latency.Record(wokeAt - Volatile.Read(ref _signalStamp));
                }

                _toWaker.Signal();
            }

            _cost = meter.Stop();
        }
        catch (Exception ex)
        {
            _failure ??= ex;
        }
    }
}
