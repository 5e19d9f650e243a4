namespace Interlude.Inference;

/// <summary>
/// One device thread's queue of requests for one model, and the batching policy that takes batches from it.
/// Device thread only: plain state.
/// </summary>
/// <remarks>
/// A batch starts with the oldest request and takes the ones after it, in order, that the model can run together
/// with it (<see cref="ModelRunner.CanJoin"/>), while the batch stays within
/// <see cref="InferenceModelOptions.MaxBatchSize"/> rows and, for texts, within
/// <see cref="InferenceModelOptions.MaxBatchTokens"/> padded tokens. The oldest request always goes, even alone
/// over a limit. A queue is due when its oldest request has waited <see cref="InferenceModelOptions.MaxQueueDelay"/>
/// or it already holds a full batch.
/// </remarks>
internal sealed class ModelQueue(ModelRunner runner)
{
    private readonly List<PendingRequest> _items = [];
    private int _rows;
    private long _tokens;

    public ModelRunner Runner { get; } = runner;

    public int Count => _items.Count;

    /// <summary>When the queue is next due (Stopwatch ticks): 0 when it holds a full batch, <see cref="long.MaxValue"/> when empty.</summary>
    public long DueTicks
    {
        get
        {
            if (_items.Count == 0)
            {
                return long.MaxValue;
            }

            if (_rows >= Runner.MaxBatchSize || _tokens >= Runner.MaxBatchTokens)
            {
                return 0;
            }

            long oldest = _items[0].Request.SubmittedAt;
            return oldest > long.MaxValue - Runner.QueueDelayTicks ? long.MaxValue : oldest + Runner.QueueDelayTicks;
        }
    }

    public void Add(in PendingRequest pending)
    {
        _items.Add(pending);
        _rows += pending.Request.Rows;
        _tokens += pending.Request.Length;
    }

    /// <summary>
    /// Moves the next batch into <paramref name="batch"/> (grown when needed) and returns its size; requests
    /// whose caller has cancelled are moved into <paramref name="cancelled"/> instead of running.
    /// </summary>
    public int TakeBatch(ref PendingRequest[] batch, List<PendingRequest> cancelled)
    {
        int count = 0;
        int rows = 0;
        int longest = 0;
        int kept = 0;
        for (int i = 0; i < _items.Count; i++)
        {
            PendingRequest item = _items[i];
            InferenceRequest request = item.Request;
            if (item.Operation.IsCancellationRequested)
            {
                cancelled.Add(item);
                Forget(request);
                continue;
            }

            bool joins = count == 0 || (rows + request.Rows <= Runner.MaxBatchSize
                && (long)(count + 1) * Math.Max(longest, request.Length) <= Runner.MaxBatchTokens
                && Runner.CanJoin(batch[0].Request, request));
            if (joins)
            {
                if (count == batch.Length)
                {
                    Array.Resize(ref batch, batch.Length * 2);
                }

                batch[count++] = item;
                rows += request.Rows;
                longest = Math.Max(longest, request.Length);
                Forget(request);
            }
            else
            {
                _items[kept++] = item;
            }
        }

        _items.RemoveRange(kept, _items.Count - kept);
        return count;
    }

    /// <summary>Moves every request whose caller has cancelled into <paramref name="cancelled"/>.</summary>
    public void TakeCancelled(List<PendingRequest> cancelled)
    {
        int kept = 0;
        for (int i = 0; i < _items.Count; i++)
        {
            PendingRequest item = _items[i];
            if (item.Operation.IsCancellationRequested)
            {
                cancelled.Add(item);
                Forget(item.Request);
            }
            else
            {
                _items[kept++] = item;
            }
        }

        _items.RemoveRange(kept, _items.Count - kept);
    }

    /// <summary>Moves every request into <paramref name="all"/>.</summary>
    public void TakeAll(List<PendingRequest> all)
    {
        all.AddRange(_items);
        _items.Clear();
        _rows = 0;
        _tokens = 0;
    }

    private void Forget(in InferenceRequest request)
    {
        _rows -= request.Rows;
        _tokens -= request.Length;
    }
}
