namespace Interlude.Inference;

/// <summary>
/// What one model has done since it was loaded: a snapshot for a server to export. The values are read one by
/// one while requests run, so a snapshot may be a few requests behind, and its totals need not add up exactly.
/// </summary>
public sealed class InferenceModelStatistics
{
    private readonly long[] _batchSizeCounts;

    internal InferenceModelStatistics(
        string model,
        long requestsQueued,
        long requestsCompleted,
        long requestsFailed,
        long requestsCancelled,
        long batches,
        long[] batchSizeCounts,
        TimeSpan totalQueueDelay,
        TimeSpan maxQueueDelay,
        TimeSpan totalRunTime,
        long latencySamples,
        TimeSpan totalLatency,
        TimeSpan maxLatency)
    {
        Model = model;
        RequestsQueued = requestsQueued;
        RequestsCompleted = requestsCompleted;
        RequestsFailed = requestsFailed;
        RequestsCancelled = requestsCancelled;
        Batches = batches;
        _batchSizeCounts = batchSizeCounts;
        TotalQueueDelay = totalQueueDelay;
        MaxQueueDelay = maxQueueDelay;
        TotalRunTime = totalRunTime;
        LatencySamples = latencySamples;
        TotalLatency = totalLatency;
        MaxLatency = maxLatency;
    }

    /// <summary>The model's name.</summary>
    public string Model { get; }

    /// <summary>Requests the device threads hold, waiting for their batch to run (a gauge: the queue's depth).</summary>
    public long RequestsQueued { get; }

    /// <summary>Requests that ran and got their result.</summary>
    public long RequestsCompleted { get; }

    /// <summary>Requests that ran and failed (ONNX Runtime reported an error for them).</summary>
    public long RequestsFailed { get; }

    /// <summary>Queued requests dropped without running because their caller cancelled them.</summary>
    public long RequestsCancelled { get; }

    /// <summary>Runs: each is one ONNX Runtime run of one or more requests.</summary>
    public long Batches { get; }

    /// <summary>
    /// The batch-size histogram: element <c>i</c> counts the runs of <c>i</c> requests (element 0 stays zero), up
    /// to the model's <see cref="InferenceModelOptions.MaxBatchSize"/>.
    /// </summary>
    public IReadOnlyList<long> BatchSizeCounts => _batchSizeCounts;

    /// <summary>The mean number of requests per run, or 0 before the first.</summary>
    public double AverageBatchSize => Batches == 0 ? 0 : (RequestsCompleted + RequestsFailed) / (double)Batches;

    /// <summary>Time requests spent between being submitted and their run starting, added up.</summary>
    public TimeSpan TotalQueueDelay { get; }

    /// <summary>The longest time a request spent between being submitted and its run starting.</summary>
    public TimeSpan MaxQueueDelay { get; }

    /// <summary>Time the device threads spent running this model's batches (with scattering their results), added up.</summary>
    public TimeSpan TotalRunTime { get; }

    /// <summary>Results delivered to their callers: the number of samples in <see cref="TotalLatency"/>.</summary>
    public long LatencySamples { get; }

    /// <summary>
    /// Time from each request being made to its caller holding the result (post-processing on the caller's side,
    /// such as pooling an embedding, included), added up over <see cref="LatencySamples"/> requests.
    /// </summary>
    public TimeSpan TotalLatency { get; }

    /// <summary>The longest of those latencies.</summary>
    public TimeSpan MaxLatency { get; }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Model}: {RequestsCompleted} completed, {RequestsFailed} failed, {RequestsCancelled} cancelled, {RequestsQueued} queued, "
            + $"{Batches} batches (mean {AverageBatchSize:F2}), run {TotalRunTime.TotalMilliseconds:F1} ms";
}
