namespace Interlude.Inference;

/// <summary>
/// How a model's requests are batched: the most requests one run takes, the padded-token budget of a text batch,
/// and how long a request may wait for others to join it.
/// </summary>
/// <remarks>
/// A device thread that is idle runs a request at once (with <see cref="MaxQueueDelay"/> at zero); while it runs a
/// batch, requests arriving from any loop gather, and the next run takes as many of them as the limits allow. See
/// docs/design/inference.md.
/// </remarks>
public class InferenceModelOptions
{
    /// <summary>
    /// The most requests one run takes (and, for the tensor API, the most rows: the inputs' first dimensions added
    /// up). 1 turns batching off. A single request with more rows than this runs alone.
    /// </summary>
    /// <remarks>Defaults to 32.</remarks>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// For text models: the most tokens one run may carry once padded, that is the batch's request count times
    /// its longest sequence. A single request longer than this runs alone. Ignored by the tensor API.
    /// </summary>
    /// <remarks>Defaults to 8,192.</remarks>
    public int MaxBatchTokens { get; set; } = 8192;

    /// <summary>
    /// How long the oldest request of a batch that is not full may wait for more requests before the batch runs
    /// anyway. Zero runs whatever is queued as soon as the device thread is free; more trades latency for larger
    /// batches when requests arrive faster than one at a time but slower than the device runs them.
    /// </summary>
    /// <remarks>Defaults to zero.</remarks>
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    public virtual void Validate()
    {
        if (MaxBatchSize < 1 || MaxBatchSize > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "MaxBatchSize must be between 1 and 4096.");
        }

        if (MaxBatchTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchTokens), MaxBatchTokens, "MaxBatchTokens must be positive.");
        }

        if (MaxQueueDelay < TimeSpan.Zero || MaxQueueDelay > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueueDelay), MaxQueueDelay, "MaxQueueDelay must be between zero and one day.");
        }
    }
}
