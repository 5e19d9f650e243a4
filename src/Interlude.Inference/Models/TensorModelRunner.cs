using Microsoft.ML.OnnxRuntime;

namespace Interlude.Inference;

/// <summary>
/// A model of the tensor API: named tensors in, named tensors out. Requests batch along the first dimension when
/// every input and output leaves it open; requests join a batch only when their other dimensions equal the
/// batch's first request's (nothing is padded). Outputs are split back along the first dimension.
/// </summary>
internal sealed class TensorModelRunner : ModelRunner
{
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public TensorModelRunner(InferenceDevice device, string name, InferenceSession session, InferenceModelOptions options)
        : base(device, name, session, options)
    {
        Inputs = [.. session.InputMetadata.Select(p => OrtTypes.Describe(name, p.Key, p.Value))];
        Outputs = [.. session.OutputMetadata.Select(p => OrtTypes.Describe(name, p.Key, p.Value))];
        _inputNames = [.. Inputs.Select(i => i.Name)];
        _outputNames = [.. Outputs.Select(o => o.Name)];
        SupportsBatching = options.MaxBatchSize > 1
            && Inputs.Concat(Outputs).All(t => t.ShapeArray.Length > 0 && t.ShapeArray[0] < 0);
    }

    public TensorMetadata[] Inputs { get; }

    public TensorMetadata[] Outputs { get; }

    /// <summary>Whether requests batch: every input and output has an open first dimension, and batches may exceed one.</summary>
    public bool SupportsBatching { get; }

    public override bool CanJoin(in InferenceRequest head, in InferenceRequest candidate)
    {
        if (!SupportsBatching)
        {
            return false;
        }

        var first = (InferenceTensor[])head.Payload;
        var other = (InferenceTensor[])candidate.Payload;
        for (int i = 0; i < first.Length; i++)
        {
            if (!first[i].ShapeArray.AsSpan(1).SequenceEqual(other[i].ShapeArray.AsSpan(1)))
            {
                return false;
            }
        }

        return true;
    }

    public override void Run(ReadOnlySpan<PendingRequest> batch, BatchScratch scratch, RunOptions runOptions)
    {
        var values = new OrtValue[_inputNames.Length];
        try
        {
            long rows = 0;
            foreach (PendingRequest pending in batch)
            {
                rows += pending.Request.Rows;
            }

            // One request runs on its own buffers; several are copied one after the other into the thread's scratch.
            var single = (InferenceTensor[])batch[0].Request.Payload;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = batch.Length == 1 ? OrtTypes.Wrap(single[i]) : Concatenate(batch, i, rows, scratch);
            }

            using IDisposableReadOnlyCollection<OrtValue> outputs = Session.Run(runOptions, _inputNames, values, _outputNames);
            Scatter(batch, outputs, rows);
        }
        finally
        {
            foreach (OrtValue? value in values)
            {
                value?.Dispose();
            }
        }
    }

    /// <summary>Input <paramref name="input"/> of every request, one after the other along the first dimension, in scratch slot <paramref name="input"/>.</summary>
    private static OrtValue Concatenate(ReadOnlySpan<PendingRequest> batch, int input, long rows, BatchScratch scratch)
    {
        InferenceTensor head = ((InferenceTensor[])batch[0].Request.Payload)[input];
        long[] shape = (long[])head.ShapeArray.Clone();
        shape[0] = rows;
        int total = 0;
        foreach (PendingRequest pending in batch)
        {
            total = checked(total + (int)((InferenceTensor[])pending.Request.Payload)[input].ElementCount);
        }

        switch (head.DataType)
        {
            case TensorDataType.Float32:
                return OrtTypes.Wrap<float>(Fill(batch, input, scratch.Floats(input, total), total), shape);
            case TensorDataType.Int32:
                return OrtTypes.Wrap<int>(Fill(batch, input, scratch.Ints(input, total), total), shape);
            default:
                return OrtTypes.Wrap<long>(Fill(batch, input, scratch.Longs(input, total), total), shape);
        }
    }

    private static ReadOnlyMemory<T> Fill<T>(ReadOnlySpan<PendingRequest> batch, int input, T[] buffer, int total)
        where T : unmanaged
    {
        int offset = 0;
        foreach (PendingRequest pending in batch)
        {
            ReadOnlySpan<T> data = ((InferenceTensor[])pending.Request.Payload)[input].GetData<T>().Span;
            data.CopyTo(buffer.AsSpan(offset));
            offset += data.Length;
        }

        return buffer.AsMemory(0, total);
    }

    private void Scatter(ReadOnlySpan<PendingRequest> batch, IDisposableReadOnlyCollection<OrtValue> outputs, long rows)
    {
        var results = new InferenceTensor[batch.Length][];
        for (int r = 0; r < results.Length; r++)
        {
            results[r] = new InferenceTensor[_outputNames.Length];
        }

        int o = 0;
        foreach (OrtValue output in outputs)
        {
            OrtTensorTypeAndShapeInfo info = output.GetTensorTypeAndShape();
            long[] shape = info.Shape;
            TensorDataType dataType = OrtTypes.ToDataType(info.ElementDataType)
                ?? throw new NotSupportedException($"Model '{Name}': output '{_outputNames[o]}' is {info.ElementDataType}.");
            if (batch.Length > 1 && (shape.Length == 0 || shape[0] != rows))
            {
                throw new InvalidOperationException(
                    $"Model '{Name}': output '{_outputNames[o]}' of shape [{string.Join(", ", shape)}] does not have the batch's {rows} rows first.");
            }

            long first = 0;
            for (int r = 0; r < batch.Length; r++)
            {
                long own = batch.Length == 1 ? (shape.Length > 0 ? shape[0] : 1) : batch[r].Request.Rows;
                results[r][o] = OrtTypes.CopyRows(_outputNames[o], output, dataType, shape, first, own);
                first += own;
            }

            o++;
        }

        for (int r = 0; r < batch.Length; r++)
        {
            batch[r].Operation.SetResult(results[r]);
        }
    }
}
