using Microsoft.ML.OnnxRuntime;

namespace Interlude.Inference;

/// <summary>
/// An inference device: ONNX Runtime sessions run on device threads of their own (one per dedicated core), while
/// the submitting coroutine is suspended on its loop and resumes there, inline, when its result is ready. Requests
/// for the same model from any number of coroutines and loops are batched into one run.
/// </summary>
/// <remarks>
/// Load models with <see cref="LoadModel"/> (tensors in, tensors out) or
/// <see cref="TextEmbedder.LoadMiniLM"/> (sentence embeddings). Models live as long as the device:
/// <see cref="Accelerator.Dispose()"/> fails the requests still queued with <see cref="ObjectDisposedException"/>,
/// lets a batch that is running finish, and then releases every session.
///
/// The device also runs plain work functions submitted with
/// <see cref="Accelerator.SubmitAsync{TState, TResult}"/>, on the same threads, between batches.
/// </remarks>
public sealed class InferenceDevice : Accelerator
{
    private readonly object _modelsGate = new();

    // Written by the constructor; read by any thread (statistics, Dispose). The workers' own state is theirs.
    private readonly InferenceWorker[] _workers;

    // Written by the constructor; read by any thread creating a session; disposed under _modelsGate with the sessions.
    private readonly SessionOptions _sessionOptions;

    // Under _modelsGate: the loaded models, in Id order. Read by device threads only through a request's runner.
    private readonly List<ModelRunner> _runners = [];

    // Under _modelsGate: whether the sessions and their options were freed.
    private bool _released;

    /// <summary>Creates the device and starts its threads.</summary>
    /// <exception cref="NotSupportedException">
    /// <see cref="InferenceDeviceOptions.ExecutionProvider"/> is CUDA, it cannot be loaded, and
    /// <see cref="InferenceDeviceOptions.RequireExecutionProvider"/> is set.
    /// </exception>
    public InferenceDevice(InferenceDeviceOptions? options = null)
        : base("inference", options ??= new InferenceDeviceOptions())
    {
        _sessionOptions = ExecutionProviderSetup.Create(options, out InferenceExecutionProvider provider, out string? fallbackReason);
        ExecutionProvider = provider;
        ExecutionProviderFallbackReason = fallbackReason;
        _workers = new InferenceWorker[options.Threads];
        for (int i = 0; i < _workers.Length; i++)
        {
            int? core = options.Cores is { } cores ? cores[i % cores.Count] : null;
            _workers[i] = new InferenceWorker(this, i, core, options.IdleSpin);
        }

        StartWorkers(_workers);
    }

    /// <summary>The execution provider the models run on: the one asked for, or the CPU when it could not be loaded.</summary>
    public InferenceExecutionProvider ExecutionProvider { get; }

    /// <summary>
    /// Why the device runs on the CPU although <see cref="InferenceDeviceOptions.ExecutionProvider"/> asked for
    /// another provider (ONNX Runtime's own message included); null when it runs on the provider asked for.
    /// </summary>
    public string? ExecutionProviderFallbackReason { get; }

    /// <summary>The device's threads.</summary>
    public int ThreadCount => _workers.Length;

    /// <summary>
    /// Loads an ONNX model for the tensor API. The session is created on the calling thread (it may take a while
    /// for a large model); requests then run on the device threads.
    /// </summary>
    /// <param name="name">A name for statistics and errors.</param>
    /// <param name="model">The model, serialized (an .onnx file's bytes).</param>
    /// <param name="options">How its requests are batched.</param>
    /// <exception cref="NotSupportedException">An input or output is not a tensor of a <see cref="TensorDataType"/>.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime cannot load the model.</exception>
    public InferenceModel LoadModel(string name, byte[] model, InferenceModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        options ??= new InferenceModelOptions();
        options.Validate();
        InferenceSession session = CreateSession(model);
        try
        {
            var runner = new TensorModelRunner(this, name, session, options);
            Register(runner);
            return new InferenceModel(runner);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>What each device thread has done so far (batches, requests, busy time), in thread order. Any thread.</summary>
    public IReadOnlyList<InferenceThreadStatistics> GetThreadStatistics()
    {
        var statistics = new InferenceThreadStatistics[_workers.Length];
        for (int i = 0; i < statistics.Length; i++)
        {
            statistics[i] = _workers[i].Snapshot();
        }

        return statistics;
    }

    /// <summary>Any thread: a session for <paramref name="model"/> with the device's options.</summary>
    internal InferenceSession CreateSession(byte[] model)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return new InferenceSession(model, _sessionOptions);
    }

    /// <summary>Any thread: makes <paramref name="runner"/> one of the device's models, to be released with it.</summary>
    internal void Register(ModelRunner runner)
    {
        lock (_modelsGate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            runner.Id = _runners.Count;
            _runners.Add(runner);
        }
    }

    /// <summary>Any thread: submits <paramref name="request"/>; completes with its result on the caller's loop.</summary>
    internal ValueTask<TResult> SubmitInferenceAsync<TResult>(in InferenceRequest request, CancellationToken cancellationToken)
        => SubmitRequestAsync<InferenceRequest, TResult>(request, 0, cancellationToken);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }

        lock (_modelsGate)
        {
            // A thread stuck past the stop timeout may still be inside a session: then the sessions are left to
            // the finalizers rather than freed under it.
            if (!_released && _workers.All(w => w.HasStopped))
            {
                foreach (ModelRunner runner in _runners)
                {
                    runner.Session.Dispose();
                }

                _runners.Clear();
                _sessionOptions.Dispose();
                _released = true;
            }
        }
    }
}
