using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Interlude.Inference;

/// <summary>Between ONNX Runtime's metadata and values and the device's tensors. Any thread.</summary>
internal static class OrtTypes
{
    /// <summary>A model input's or output's metadata; throws when it is not a tensor of a supported type.</summary>
    public static TensorMetadata Describe(string model, string name, NodeMetadata node)
    {
        if (!node.IsTensor || ToDataType(node.ElementDataType) is not { } dataType)
        {
            throw new NotSupportedException(
                $"Model '{model}': '{name}' is {(node.IsTensor ? node.ElementDataType.ToString() : node.OnnxValueType.ToString())}; "
                + "the device exchanges tensors of float, int32 and int64 only.");
        }

        long[] shape = node.Dimensions.Select(d => d < 0 ? -1L : d).ToArray();
        return new TensorMetadata(name, dataType, shape);
    }

    public static TensorDataType? ToDataType(TensorElementType type) => type switch
    {
        TensorElementType.Float => TensorDataType.Float32,
        TensorElementType.Int32 => TensorDataType.Int32,
        TensorElementType.Int64 => TensorDataType.Int64,
        _ => null,
    };

    /// <summary>An ONNX Runtime value over <paramref name="tensor"/>'s data, without copying.</summary>
    public static OrtValue Wrap(InferenceTensor tensor)
        => tensor.DataType switch
        {
            TensorDataType.Float32 => Wrap(tensor.GetData<float>(), tensor.ShapeArray),
            TensorDataType.Int32 => Wrap(tensor.GetData<int>(), tensor.ShapeArray),
            _ => Wrap(tensor.GetData<long>(), tensor.ShapeArray),
        };

    /// <summary>
    /// An ONNX Runtime value over <paramref name="data"/>, pinned until the value is disposed. ONNX Runtime only
    /// reads an input, so read-only memory is handed over as it is.
    /// </summary>
    public static OrtValue Wrap<T>(ReadOnlyMemory<T> data, long[] shape)
        where T : unmanaged
        => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, System.Runtime.InteropServices.MemoryMarshal.AsMemory(data), shape);

    /// <summary>A copy of rows <paramref name="firstRow"/> to <paramref name="firstRow"/> + <paramref name="rows"/> of an output, as a tensor.</summary>
    public static InferenceTensor CopyRows(string name, OrtValue value, TensorDataType dataType, long[] shape, long firstRow, long rows)
    {
        long rowElements = 1;
        for (int i = 1; i < shape.Length; i++)
        {
            rowElements *= shape[i];
        }

        long[] part = (long[])shape.Clone();
        if (part.Length > 0)
        {
            part[0] = rows;
        }

        int start = checked((int)(firstRow * rowElements));
        int count = checked((int)(part.Length > 0 ? rows * rowElements : 1));
        return dataType switch
        {
            TensorDataType.Float32 => new InferenceTensor(name, value.GetTensorDataAsSpan<float>().Slice(start, count).ToArray(), part),
            TensorDataType.Int32 => new InferenceTensor(name, value.GetTensorDataAsSpan<int>().Slice(start, count).ToArray(), part),
            _ => new InferenceTensor(name, value.GetTensorDataAsSpan<long>().Slice(start, count).ToArray(), part),
        };
    }
}
