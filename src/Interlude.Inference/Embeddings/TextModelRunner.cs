using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace Interlude.Inference;

/// <summary>
/// A BERT-style text encoder (input_ids, attention_mask and optionally token_type_ids, all int64 [batch, sequence];
/// last_hidden_state float [batch, sequence, hidden]). A batch pads every text to its longest with the padding id 0
/// and a zero attention mask; each text gets back the states of its own tokens only, for the caller to pool.
/// </summary>
internal sealed class TextModelRunner : ModelRunner
{
    private const string IdsInput = "input_ids";
    private const string MaskInput = "attention_mask";
    private const string TypesInput = "token_type_ids";
    private const string StatesOutput = "last_hidden_state";

    private readonly string[] _inputNames;
    private readonly int[] _inputSlots;
    private readonly string[] _outputNames;

    public TextModelRunner(InferenceDevice device, string name, InferenceSession session, TextEmbedderOptions options, long classificationId, long separatorId)
        : base(device, name, session, options)
    {
        _inputNames = [.. session.InputMetadata.Keys];
        _inputSlots = new int[_inputNames.Length];
        for (int i = 0; i < _inputNames.Length; i++)
        {
            NodeMetadata input = session.InputMetadata[_inputNames[i]];
            _inputSlots[i] = _inputNames[i] switch
            {
                IdsInput => 0,
                MaskInput => 1,
                TypesInput => 2,
                _ => -1,
            };
            if (_inputSlots[i] < 0 || !input.IsTensor || input.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64 || input.Dimensions.Length != 2)
            {
                throw new NotSupportedException(
                    $"Model '{name}': input '{_inputNames[i]}' is not one a text encoder takes ({IdsInput}, {MaskInput}, {TypesInput}: int64 [batch, sequence]).");
            }
        }

        if (!_inputSlots.Contains(0) || !_inputSlots.Contains(1))
        {
            throw new NotSupportedException($"Model '{name}' needs inputs {IdsInput} and {MaskInput} to be used as a text encoder.");
        }

        string output = session.OutputMetadata.ContainsKey(StatesOutput)
            ? StatesOutput
            : session.OutputMetadata.FirstOrDefault(o => o.Value.IsTensor && o.Value.Dimensions.Length == 3).Key
                ?? throw new NotSupportedException($"Model '{name}' has no {StatesOutput} output (float [batch, sequence, hidden]).");
        _outputNames = [output];
        int[] dimensions = session.OutputMetadata[output].Dimensions;
        Dimensions = dimensions.Length == 3 && dimensions[2] > 0 ? dimensions[2] : MeasureDimensions(classificationId, separatorId);

        // Rented by the device threads, returned by the callers once pooled: a pool without per-thread caches, so a
        // buffer returned on a loop is there for the next batch on any device thread. It keeps about two batches'
        // worth of each size.
        StatesPool = ArrayPool<float>.Create(options.MaxSequenceLength * Dimensions, Math.Max(16, 2 * options.MaxBatchSize));
    }

    /// <summary>The size of a token state, and of an embedding.</summary>
    public int Dimensions { get; }

    /// <summary>The buffers token states travel back in. Thread-safe.</summary>
    public ArrayPool<float> StatesPool { get; }

    public override bool CanJoin(in InferenceRequest head, in InferenceRequest candidate) => true;

    public override void Run(ReadOnlySpan<PendingRequest> batch, BatchScratch scratch, RunOptions runOptions)
    {
        int count = batch.Length;
        int longest = 0;
        foreach (PendingRequest pending in batch)
        {
            longest = Math.Max(longest, pending.Request.Length);
        }

        int total = checked(count * longest);
        long[] ids = scratch.Longs(0, total);
        long[] mask = scratch.Longs(1, total);
        long[] types = scratch.Longs(2, total);
        for (int r = 0; r < count; r++)
        {
            var text = (long[])batch[r].Request.Payload;
            Span<long> idRow = ids.AsSpan(r * longest, longest);
            Span<long> maskRow = mask.AsSpan(r * longest, longest);
            text.CopyTo(idRow);
            idRow[text.Length..].Clear();
            maskRow[..text.Length].Fill(1);
            maskRow[text.Length..].Clear();
        }

        types.AsSpan(0, total).Clear();
        long[] shape = [count, longest];
        long[][] buffers = [ids, mask, types];
        var values = new OrtValue[_inputNames.Length];
        try
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = OrtTypes.Wrap<long>(buffers[_inputSlots[i]].AsMemory(0, total), shape);
            }

            using IDisposableReadOnlyCollection<OrtValue> outputs = Session.Run(runOptions, _inputNames, values, _outputNames);
            OrtValue states = outputs.First();
            long[] statesShape = states.GetTensorTypeAndShape().Shape;
            if (statesShape.Length != 3 || statesShape[0] != count || statesShape[1] != longest || statesShape[2] != Dimensions)
            {
                throw new InvalidOperationException(
                    $"Model '{Name}': {_outputNames[0]} has shape [{string.Join(", ", statesShape)}], not [{count}, {longest}, {Dimensions}].");
            }

            ReadOnlySpan<float> all = states.GetTensorDataAsSpan<float>();
            for (int r = 0; r < count; r++)
            {
                int tokens = batch[r].Request.Length;
                float[] buffer = StatesPool.Rent(tokens * Dimensions);
                all.Slice(r * longest * Dimensions, tokens * Dimensions).CopyTo(buffer);
                batch[r].Operation.SetResult(new TokenStates(buffer, tokens, Dimensions, StatesPool));
            }
        }
        finally
        {
            foreach (OrtValue? value in values)
            {
                value?.Dispose();
            }
        }
    }

    /// <summary>Loading thread: the hidden size of a model that leaves it open, from one run of an empty text.</summary>
    private int MeasureDimensions(long classificationId, long separatorId)
    {
        long[] shape = [1, 2];
        long[][] buffers = [[classificationId, separatorId], [1, 1], [0, 0]];
        var values = new OrtValue[_inputNames.Length];
        try
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = OrtValue.CreateTensorValueFromMemory(buffers[_inputSlots[i]], shape);
            }

            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> outputs = Session.Run(runOptions, _inputNames, values, _outputNames);
            long[] statesShape = outputs.First().GetTensorTypeAndShape().Shape;
            return statesShape.Length == 3 && statesShape[2] > 0
                ? (int)statesShape[2]
                : throw new NotSupportedException($"Model '{Name}': {_outputNames[0]} has shape [{string.Join(", ", statesShape)}], not [batch, sequence, hidden].");
        }
        finally
        {
            foreach (OrtValue? value in values)
            {
                value?.Dispose();
            }
        }
    }
}
