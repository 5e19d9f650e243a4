using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Interlude.Inference;

/// <summary>
/// A model loaded on an <see cref="InferenceDevice"/>, run through the tensor API: named tensors in, named
/// tensors out, as a KServe v2 server exchanges them. Requests from any coroutine on any loop (or from any
/// thread) batch together when the model allows it (see <see cref="SupportsBatching"/>).
/// </summary>
public sealed class InferenceModel
{
    // Both written by the constructor and only read afterwards, by any caller's thread.
    private readonly TensorModelRunner _runner;
    private readonly Dictionary<string, int> _inputIndex;

    internal InferenceModel(TensorModelRunner runner)
    {
        _runner = runner;
        _inputIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < runner.Inputs.Length; i++)
        {
            _inputIndex[runner.Inputs[i].Name] = i;
        }
    }

    /// <summary>The name it was loaded with.</summary>
    public string Name => _runner.Name;

    /// <summary>The device it runs on.</summary>
    public InferenceDevice Device => _runner.Device;

    /// <summary>Its inputs, in the model's order.</summary>
    public IReadOnlyList<TensorMetadata> Inputs => _runner.Inputs;

    /// <summary>Its outputs, in the model's order: the order of the tensors a run returns.</summary>
    public IReadOnlyList<TensorMetadata> Outputs => _runner.Outputs;

    /// <summary>
    /// Whether requests batch: every input and output has an open first dimension (the batch) and
    /// <see cref="InferenceModelOptions.MaxBatchSize"/> is above 1. Requests join a batch when their other
    /// dimensions equal its first request's; each gets back its own rows of every output.
    /// </summary>
    public bool SupportsBatching => _runner.SupportsBatching;

    /// <summary>What the model has done so far. Any thread.</summary>
    public InferenceModelStatistics GetStatistics() => _runner.Counters.Snapshot(Name);

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> (every input once, by name, in any order) and completes with
    /// its outputs, in <see cref="Outputs"/> order. The inputs' buffers must stay unchanged until it completes.
    /// </summary>
    /// <exception cref="InferenceInputException">
    /// Thrown at once, before anything is submitted: an input the model does not have, one missing or given twice,
    /// a wrong element type, or a shape that does not fit (rank, a fixed dimension, or, for a batching model, first
    /// dimensions that differ between inputs or are zero).
    /// </exception>
    /// <remarks>
    /// An error ONNX Runtime reports while running fails this request's task (with its
    /// <see cref="Microsoft.ML.OnnxRuntime.OnnxRuntimeException"/>) and no other request's: a batch that fails runs
    /// again one request at a time. A cancelled request that has not started is dropped; the device disposed or the
    /// loop group stopping fails it with <see cref="ObjectDisposedException"/> or
    /// <see cref="OperationCanceledException"/>.
    /// </remarks>
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        InferenceTensor[] ordered = Validate(inputs, out int rows);
        long start = Stopwatch.GetTimestamp();
        var request = new InferenceRequest(_runner, ordered, rows, 0, start);
        return AwaitAsync(Device.SubmitInferenceAsync<InferenceTensor[]>(request, cancellationToken), _runner.Counters, start);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<IReadOnlyList<InferenceTensor>> AwaitAsync(ValueTask<InferenceTensor[]> pending, ModelCounters counters, long start)
    {
        InferenceTensor[] outputs = await pending;
        counters.Latency(Stopwatch.GetTimestamp() - start);
        return outputs;
    }

    /// <summary>The inputs in model order, checked against the model; <paramref name="rows"/>: the batch dimension (1 when the model does not batch).</summary>
    private InferenceTensor[] Validate(IReadOnlyList<InferenceTensor> inputs, out int rows)
    {
        TensorMetadata[] expected = _runner.Inputs;
        var ordered = new InferenceTensor[expected.Length];
        foreach (InferenceTensor? tensor in inputs)
        {
            if (tensor is null)
            {
                throw new ArgumentException("An input is null.", nameof(inputs));
            }

            if (!_inputIndex.TryGetValue(tensor.Name, out int index))
            {
                throw new InferenceInputException(
                    InferenceInputError.UnknownInput,
                    tensor.Name,
                    $"Model '{Name}' has no input '{tensor.Name}'; its inputs are {string.Join(", ", expected.Select(e => $"'{e.Name}'"))}.");
            }

            if (ordered[index] is not null)
            {
                throw new InferenceInputException(InferenceInputError.DuplicateInput, tensor.Name, $"Input '{tensor.Name}' of model '{Name}' was given twice.");
            }

            TensorMetadata metadata = expected[index];
            if (tensor.DataType != metadata.DataType)
            {
                throw new InferenceInputException(
                    InferenceInputError.WrongDataType,
                    tensor.Name,
                    $"Input '{tensor.Name}' of model '{Name}' takes {metadata.DataType}, not {tensor.DataType}.");
            }

            CheckShape(tensor, metadata);
            ordered[index] = tensor;
        }

        for (int i = 0; i < ordered.Length; i++)
        {
            if (ordered[i] is null)
            {
                throw new InferenceInputException(InferenceInputError.MissingInput, expected[i].Name, $"Model '{Name}' needs input '{expected[i].Name}'.");
            }
        }

        rows = 1;
        if (SupportsBatching && ordered.Length > 0)
        {
            long first = ordered[0].ShapeArray[0];
            foreach (InferenceTensor tensor in ordered)
            {
                if (tensor.ShapeArray[0] != first || first == 0 || first > int.MaxValue)
                {
                    throw new InferenceInputException(
                        InferenceInputError.WrongShape,
                        tensor.Name,
                        $"Model '{Name}' batches along the first dimension: every input's must be the same, and positive "
                        + $"('{ordered[0].Name}' has {first}, '{tensor.Name}' has {tensor.ShapeArray[0]}).");
                }
            }

            rows = (int)first;
        }

        return ordered;
    }

    private void CheckShape(InferenceTensor tensor, TensorMetadata metadata)
    {
        long[] shape = tensor.ShapeArray;
        long[] model = metadata.ShapeArray;
        bool fits = shape.Length == model.Length;
        for (int d = 0; fits && d < shape.Length; d++)
        {
            fits = model[d] < 0 || model[d] == shape[d];
        }

        if (!fits)
        {
            throw new InferenceInputException(
                InferenceInputError.WrongShape,
                tensor.Name,
                $"Input '{tensor.Name}' of model '{Name}' has shape [{string.Join(", ", shape)}]; the model takes [{string.Join(", ", model)}] (-1: any).");
        }
    }
}
