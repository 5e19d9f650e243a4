using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Interlude.Inference;

/// <summary>
/// A loaded model as the device threads see it: its ONNX Runtime session, its batching limits and counters, and
/// how it runs a batch of its requests. Created on the loading thread; after that immutable, and shared by every
/// device thread (ONNX Runtime allows concurrent runs of one session).
/// </summary>
internal abstract class ModelRunner
{
    protected ModelRunner(InferenceDevice device, string name, InferenceSession session, InferenceModelOptions options)
    {
        Device = device;
        Name = name;
        Session = session;
        MaxBatchSize = options.MaxBatchSize;
        MaxBatchTokens = options.MaxBatchTokens;
        QueueDelayTicks = (long)(options.MaxQueueDelay.TotalSeconds * Stopwatch.Frequency);
        Counters = new ModelCounters(options.MaxBatchSize);
    }

    public InferenceDevice Device { get; }

    public string Name { get; }

    public InferenceSession Session { get; }

    /// <summary>Its position among the device's models; set once, by the device, before the first request.</summary>
    public int Id { get; set; } = -1;

    public int MaxBatchSize { get; }

    public int MaxBatchTokens { get; }

    public long QueueDelayTicks { get; }

    public ModelCounters Counters { get; }

    /// <summary>Device thread: whether <paramref name="candidate"/> can run in one batch with <paramref name="head"/>.</summary>
    public abstract bool CanJoin(in InferenceRequest head, in InferenceRequest candidate);

    /// <summary>
    /// Device thread: runs <paramref name="batch"/> as one ONNX Runtime run and stores each request's result in
    /// its operation. Throws when the run fails (the caller then decides who gets the error).
    /// </summary>
    public abstract void Run(ReadOnlySpan<PendingRequest> batch, BatchScratch scratch, RunOptions runOptions);
}
