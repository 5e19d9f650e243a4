using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Interlude.Inference;

/// <summary>
/// One device thread: it queues the requests it takes per model and runs them in batches (<see cref="Advance"/>),
/// one ONNX Runtime run at a time, on itself. While a run lasts, requests from every loop it serves gather in the
/// seam's rings; the next pass takes them all, so a busy thread batches by itself and an idle one runs a request
/// as soon as it arrives. Work functions (<see cref="Accelerator.SubmitAsync{TState, TResult}"/>) run at once.
/// </summary>
/// <remarks>Every member but <see cref="Snapshot"/> and <see cref="HasStopped"/> runs on the worker's thread.</remarks>
internal sealed class InferenceWorker : DeviceWorker
{
    /// <summary>Requests one thread holds at most; beyond that the seam leaves submissions in the rings.</summary>
    private const int MaxHeld = 4096;

    private readonly Counters _counters = new();
    private readonly BatchScratch _scratch = new();
    private readonly List<PendingRequest> _dropped = [];

    // Worker thread only: queues indexed by ModelRunner.Id (null until the model's first request), requests held,
    // where the next look for a due queue starts, the batch being run.
    private ModelQueue?[] _queues = [];
    private int _held;
    private int _rotation;
    private PendingRequest[] _batch = new PendingRequest[16];
    private RunOptions? _runOptions;

    // Written by the worker thread as its very last act; read by the device's Dispose, which releases the sessions
    // only once every thread has left them.
    private volatile bool _stopped;

    public InferenceWorker(InferenceDevice device, int index, int? core, TimeSpan idleSpin)
        : base(device, index, core, idleSpin)
    {
    }

    /// <summary>Any thread: whether the thread has finished (its last held request failed, its resources freed).</summary>
    public bool HasStopped => _stopped;

    protected override bool CanAccept => _held < MaxHeld;

    protected override int InService => _held;

    protected override long NextDueTicks
    {
        get
        {
            long due = long.MaxValue;
            foreach (ModelQueue? queue in _queues)
            {
                if (queue is not null)
                {
                    due = Math.Min(due, queue.DueTicks);
                }
            }

            return due;
        }
    }

    /// <summary>Any thread: a snapshot of what this thread has done.</summary>
    public InferenceThreadStatistics Snapshot()
        => new(
            Index,
            Core,
            Volatile.Read(ref _counters.ManagedThreadId),
            Volatile.Read(ref _counters.Batches),
            Volatile.Read(ref _counters.Requests),
            Volatile.Read(ref _counters.WorkFunctions),
            Stopwatch.GetElapsedTime(0, Volatile.Read(ref _counters.BusyTicks)));

    protected override void OnThreadStarted()
    {
        Volatile.Write(ref _counters.ManagedThreadId, Environment.CurrentManagedThreadId);
        _runOptions = new RunOptions();
    }

    protected override void OnThreadStopping()
    {
        _runOptions?.Dispose();
        _runOptions = null;
        _stopped = true;
    }

    protected override void Accept(DeviceOperation operation, long now)
    {
        if (operation.TryGetRequest(out InferenceRequest request))
        {
            QueueOf(request.Runner).Add(new PendingRequest(operation, request));
            request.Runner.Counters.Queued();
            _held++;
            return;
        }

        // A work function: its own result or exception goes to its caller.
        long start = Stopwatch.GetTimestamp();
        operation.Execute();
        long end = Stopwatch.GetTimestamp();
        Volatile.Write(ref _counters.WorkFunctions, _counters.WorkFunctions + 1);
        Volatile.Write(ref _counters.BusyTicks, _counters.BusyTicks + (end - start));
        Complete(operation, end);
    }

    protected override bool Advance(long now)
    {
        if (_held == 0 || Device.IsDisposed)
        {
            // Stopping: what is queued is failed by the seam (TakeAllInService), not started.
            return false;
        }

        // The pass's timestamp predates what this pass took: a request taken just now is due now, not next pass.
        long current = Math.Max(now, Stopwatch.GetTimestamp());
        int count = _queues.Length;
        for (int i = 0; i < count; i++)
        {
            int index = (_rotation + i) % count;
            if (_queues[index] is { Count: > 0 } queue && queue.DueTicks <= current)
            {
                // The next pass looks at the next model first, so one busy model cannot starve the others.
                _rotation = index + 1;
                RunBatch(queue);
                return true;
            }
        }

        return false;
    }

    protected override void DropCancelled(long now)
    {
        foreach (ModelQueue? queue in _queues)
        {
            if (queue is { Count: > 0 })
            {
                queue.TakeCancelled(_dropped);
                CompleteDropped(queue.Runner, now);
            }
        }
    }

    protected override IEnumerable<DeviceOperation> TakeAllInService()
    {
        var all = new List<PendingRequest>();
        foreach (ModelQueue? queue in _queues)
        {
            if (queue is { Count: > 0 })
            {
                int before = all.Count;
                queue.TakeAll(all);
                queue.Runner.Counters.Dropped(all.Count - before, cancelled: false);
            }
        }

        _held = 0;
        return all.Select(p => p.Operation);
    }

    private ModelQueue QueueOf(ModelRunner runner)
    {
        int id = runner.Id;
        if (id >= _queues.Length)
        {
            Array.Resize(ref _queues, Math.Max(id + 1, _queues.Length * 2));
        }

        return _queues[id] ??= new ModelQueue(runner);
    }

    private void RunBatch(ModelQueue queue)
    {
        ModelRunner runner = queue.Runner;
        int count = queue.TakeBatch(ref _batch, _dropped);
        long start = Stopwatch.GetTimestamp();
        CompleteDropped(runner, start);
        if (count == 0)
        {
            return;
        }

        _held -= count;
        runner.Counters.BatchStarted(count);
        for (int i = 0; i < count; i++)
        {
            runner.Counters.QueueDelay(Math.Max(0, start - _batch[i].Request.SubmittedAt));
        }

        int failed = 0;
        ReadOnlySpan<PendingRequest> batch = _batch.AsSpan(0, count);
        try
        {
            runner.Run(batch, _scratch, _runOptions!);
        }
        catch (Exception error) when (count == 1)
        {
            batch[0].Operation.SetError(error);
            failed = 1;
        }
        catch (Exception)
        {
            // Which request the run failed on is unknown: each runs again alone, so only the requests that fail on
            // their own get an error and the others their result. Costs a run per request, on this path only.
            for (int i = 0; i < count; i++)
            {
                try
                {
                    runner.Run(batch.Slice(i, 1), _scratch, _runOptions!);
                }
                catch (Exception error)
                {
                    batch[i].Operation.SetError(error);
                    failed++;
                }
            }
        }

        long end = Stopwatch.GetTimestamp();
        runner.Counters.BatchFinished(end - start, count - failed, failed);
        Volatile.Write(ref _counters.Batches, _counters.Batches + 1);
        Volatile.Write(ref _counters.Requests, _counters.Requests + count);
        Volatile.Write(ref _counters.BusyTicks, _counters.BusyTicks + (end - start));
        for (int i = 0; i < count; i++)
        {
            Complete(_batch[i].Operation, end);
            _batch[i] = default;
        }
    }

    /// <summary>Hands back, unrun, the cancelled requests just taken from <paramref name="runner"/>'s queue.</summary>
    private void CompleteDropped(ModelRunner runner, long now)
    {
        if (_dropped.Count == 0)
        {
            return;
        }

        _held -= _dropped.Count;
        runner.Counters.Dropped(_dropped.Count, cancelled: true);
        foreach (PendingRequest pending in _dropped)
        {
            Complete(pending.Operation, now);
        }

        _dropped.Clear();
    }

    /// <summary>
    /// Written by the worker thread only (plain increments published with a volatile write), read by anyone. In
    /// an object of their own, padded, so the writes every batch makes share no cache line with what the
    /// submitting loops read on the worker.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private sealed class Counters
    {
        [FieldOffset(64)]
        public long Batches;

        [FieldOffset(72)]
        public long Requests;

        [FieldOffset(80)]
        public long WorkFunctions;

        [FieldOffset(88)]
        public long BusyTicks;

        [FieldOffset(96)]
        public int ManagedThreadId;
    }
}
