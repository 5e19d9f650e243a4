using System.Diagnostics;
using System.IO.Pipelines;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// One handshake read travelling from a loop to the engine: the work function the engine runs (which delivers
/// the read there, and with it SslStream's handshake step), the observation of the submission's outcome back on
/// the loop, and, in the Block and Spin modes, the loop's wait for the work function's end. Pooled per loop thread.
/// </summary>
/// <remarks>
/// Who delivers: the work function on the engine, or, when the engine refuses or fails the operation, the
/// observation on the loop; whichever claims the step first (an operation failed at shutdown may still be run
/// by the engine afterwards, and then delivers nothing). A step returns to its loop's pool only after its
/// operation succeeded, that is after its work function has returned; a failed one is left to the collector.
/// The loop waits (Block, Spin) only while the steps it has submitted and not yet reaped are fewer than the
/// engine's ring capacity: beyond that a submission waits for ring space that only the loop's reaping frees, so
/// the loop lets the seam queue it instead (as in Async). A wait also ends if the engine is disposed (it then
/// fails what it holds without running it) or after <see cref="WaitLimit"/>, a guard against an engine whose
/// ring the application filled on the same loop: the step then completes on its own, as in Async.
/// </remarks>
internal sealed class TlsHandshakeStep
{
    private const int PoolLimit = 1024;

    private static readonly Func<TlsHandshakeStep, bool> s_run = static s => s.RunOnEngine();
    private static readonly TimeSpan s_waitLimit = TimeSpan.FromSeconds(1);
    private static readonly long s_waitLimitTicks = (long)(s_waitLimit.TotalSeconds * Stopwatch.Frequency);
    private static readonly TimeSpan s_blockSlice = TimeSpan.FromMilliseconds(10);

    // Loop thread: its idle steps.
    [ThreadStatic]
    private static Stack<TlsHandshakeStep>? t_pool;

    // Loop thread: steps it submitted whose completion it has not reaped yet (an upper bound on what they hold of
    // its rings to any engine).
    [ThreadStatic]
    private static int t_unreaped;

    private readonly Action _onOperationCompleted;

    // Written by the loop before submitting; read by the engine's work function.
    private TlsHandshakeReader? _reader;
    private ReadResult _result;
    private ManualResetEventSlim? _finishedEvent;
    private bool _signalEvent;

    // The loop only: the submission's outcome, observed when the loop reaps it.
    private ValueTask<bool> _operation;

    // Loop or engine: who delivers the read (see the remarks).
    private int _claimed;

    // Set by the work function at its end; read by a spinning loop.
    private volatile bool _finished;

    private TlsHandshakeStep() => _onOperationCompleted = OnOperationCompleted;

    /// <summary>How long a loop waits for one step at most in the Block and Spin modes.</summary>
    internal static TimeSpan WaitLimit => s_waitLimit;

    /// <summary>Loop thread: sends <paramref name="result"/> of <paramref name="reader"/>'s read to its engine.</summary>
    internal static void Submit(TlsHandshakeReader reader, in ReadResult result)
    {
        Debug.Assert(Loop.Current is not null, "steps are submitted on the connection's loop");
        Accelerator engine = reader.Engine!;
        TlsHandshakeStep step = t_pool is { Count: > 0 } pool ? pool.Pop() : new TlsHandshakeStep();
        step._reader = reader;
        step._result = result;
        step._claimed = 0;
        step._finished = false;
        bool wait = reader.Mode != TlsHandshakeOffloadMode.Async && t_unreaped < engine.RingCapacity;
        step._signalEvent = wait && reader.Mode == TlsHandshakeOffloadMode.Block;
        if (step._signalEvent)
        {
            (step._finishedEvent ??= new ManualResetEventSlim(false, spinCount: 0)).Reset();
        }

        ValueTask<bool> operation;
        try
        {
            operation = engine.SubmitAsync(s_run, step);
        }
        catch (Exception ex)
        {
            step.Fail(ex);
            return;
        }

        if (operation.IsCompleted)
        {
            // Refused at once: the engine is disposed or saturated, or the loop group is stopping.
            step.Observe(operation);
            return;
        }

        t_unreaped++;
        step._operation = operation;
        operation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(step._onOperationCompleted);
        if (wait)
        {
            // The operation completes on this loop, which is here: the step stays ours until the wait ends.
            step.Wait(engine, reader.Mode);
        }
    }

    /// <summary>Engine thread: delivers the read (SslStream's step runs inside), then says it is done.</summary>
    private bool RunOnEngine()
    {
        try
        {
            if (Interlocked.Exchange(ref _claimed, 1) == 0)
            {
                ReadResult result = _result;
                _result = default;
                _reader!.DeliverOnEngine(result);
            }
        }
        finally
        {
            _finished = true;
            if (_signalEvent)
            {
                _finishedEvent!.Set();
            }
        }

        return true;
    }

    private void Wait(Accelerator engine, TlsHandshakeOffloadMode mode)
    {
        long deadline = Stopwatch.GetTimestamp() + s_waitLimitTicks;
        if (mode == TlsHandshakeOffloadMode.Block)
        {
            // In the kernel, a slice at a time, to notice an engine that went away.
            while (!_finishedEvent!.Wait(s_blockSlice))
            {
                if (engine.IsDisposed || Stopwatch.GetTimestamp() > deadline)
                {
                    return;
                }
            }

            return;
        }

        for (int i = 1; !_finished; i++)
        {
            Thread.SpinWait(8);
            if ((i & 1023) == 0 && (engine.IsDisposed || Stopwatch.GetTimestamp() > deadline))
            {
                return;
            }
        }
    }

    /// <summary>Loop thread: the engine handed the operation back.</summary>
    private void OnOperationCompleted()
    {
        t_unreaped--;
        ValueTask<bool> operation = _operation;
        _operation = default;
        Observe(operation);
    }

    private void Observe(ValueTask<bool> operation)
    {
        try
        {
            operation.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            Fail(ex);
            return;
        }

        // The work function has returned: nothing refers to the step any more.
        _reader = null;
        Stack<TlsHandshakeStep> pool = t_pool ??= new Stack<TlsHandshakeStep>();
        if (pool.Count < PoolLimit)
        {
            pool.Push(this);
        }
    }

    private void Fail(Exception error)
    {
        if (Interlocked.Exchange(ref _claimed, 1) == 0)
        {
            TlsHandshakeReader reader = _reader!;
            _result = default;
            reader.FailStep(error);
        }
    }
}
