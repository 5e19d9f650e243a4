namespace InferenceServer.Protocol;

/// <summary>
/// One named tensor of a request or a response: its data type, shape and elements in row-major order. The
/// elements are held in the array type of the data type: <see cref="bool"/>[] (BOOL), <see cref="byte"/>[]
/// (UINT8), <see cref="int"/>[] (INT32), <see cref="long"/>[] (INT64), <see cref="float"/>[] (FP32),
/// <see cref="double"/>[] (FP64) or <see cref="string"/>[] (BYTES).
/// </summary>
public sealed class InferTensor
{
    /// <summary>Creates a tensor, checking that the data's array type matches the data type and its length the shape.</summary>
    public InferTensor(string name, TensorDataType dataType, long[] shape, Array data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (ElementType(dataType) != data.GetType().GetElementType())
        {
            throw new ArgumentException($"A {TensorDataTypes.Name(dataType)} tensor holds {ElementType(dataType).Name}[], not {data.GetType().Name}.", nameof(data));
        }

        long count = ElementCount(shape);
        if (count != data.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] has {count} elements; the data has {data.Length}.", nameof(data));
        }

        Name = name;
        DataType = dataType;
        Shape = shape;
        Data = data;
    }

    public string Name { get; }

    public TensorDataType DataType { get; }

    public long[] Shape { get; }

    /// <summary>The elements, row-major, in the array type of <see cref="DataType"/>.</summary>
    public Array Data { get; }

    /// <summary>The elements as <typeparamref name="T"/>[]; throws when the data type holds another.</summary>
    public T[] As<T>() => Data as T[]
        ?? throw new InvalidOperationException($"Tensor '{Name}' is {TensorDataTypes.Name(DataType)}, not {typeof(T).Name}[].");

    /// <summary>The product of the dimensions; -1 when one is negative (a dynamic dimension).</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (long dimension in shape)
        {
            if (dimension < 0)
            {
                return -1;
            }

            count = checked(count * dimension);
        }

        return count;
    }

    /// <summary>The element type a data type is held in.</summary>
    public static Type ElementType(TensorDataType type) => type switch
    {
        TensorDataType.Bool => typeof(bool),
        TensorDataType.UInt8 => typeof(byte),
        TensorDataType.Int32 => typeof(int),
        TensorDataType.Int64 => typeof(long),
        TensorDataType.Fp32 => typeof(float),
        TensorDataType.Fp64 => typeof(double),
        TensorDataType.Bytes => typeof(string),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a tensor data type."),
    };
}
