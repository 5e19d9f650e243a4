namespace Interlude.Inference;

/// <summary>
/// Configuration of an <see cref="InferenceDevice"/>: its threads (one per dedicated core, from
/// <see cref="AcceleratorOptions"/>), the execution provider its models run on, and how many threads ONNX Runtime
/// may use inside one run.
/// </summary>
/// <remarks>
/// Each device thread runs one batch at a time, on itself: with <see cref="IntraOpThreads"/> at 1 ONNX Runtime
/// starts no threads of its own, so a device thread pinned to a core (<see cref="AcceleratorOptions.Cores"/>) is
/// all the CPU the device uses there. Requests are batched per device thread: each loop's channel is served by one
/// thread, so requests from loops served by different threads never share a batch. One thread (the default)
/// batches everything.
/// </remarks>
public sealed class InferenceDeviceOptions : AcceleratorOptions
{
    /// <summary>The execution provider the device's models run on.</summary>
    /// <remarks>Defaults to <see cref="InferenceExecutionProvider.Cpu"/>.</remarks>
    public InferenceExecutionProvider ExecutionProvider { get; set; } = InferenceExecutionProvider.Cpu;

    /// <summary>The GPU the CUDA execution provider uses (CUDA's device number).</summary>
    /// <remarks>Defaults to 0.</remarks>
    public int CudaDeviceId { get; set; }

    /// <summary>
    /// Whether a device asked for <see cref="InferenceExecutionProvider.Cuda"/> refuses to start (its constructor
    /// throws <see cref="NotSupportedException"/>) when the CUDA execution provider cannot be loaded. When false
    /// the device runs its models on the CPU instead and says why in
    /// <see cref="InferenceDevice.ExecutionProviderFallbackReason"/>.
    /// </summary>
    /// <remarks>Defaults to false.</remarks>
    public bool RequireExecutionProvider { get; set; }

    /// <summary>
    /// Threads ONNX Runtime may use inside one run (its intra-op parallelism). At 1 a run uses only the device
    /// thread that started it; more gives each model a pool of ONNX Runtime's own, unpinned threads.
    /// </summary>
    /// <remarks>Defaults to 1.</remarks>
    public int IntraOpThreads { get; set; } = 1;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (!Enum.IsDefined(ExecutionProvider))
        {
            throw new ArgumentOutOfRangeException(nameof(ExecutionProvider), ExecutionProvider, "ExecutionProvider must be Cpu or Cuda.");
        }

        if (CudaDeviceId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CudaDeviceId), CudaDeviceId, "CudaDeviceId must be non-negative.");
        }

        if (IntraOpThreads < 1 || IntraOpThreads > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "IntraOpThreads must be between 1 and 256.");
        }
    }
}
