using System.Runtime.CompilerServices;

namespace Interlude.Inference;

/// <summary>
/// A named tensor: a model's input or output. Its data is a flat, row-major buffer of <see cref="Shape"/>'s
/// element count. An input's buffer belongs to the device until the run it was given to completes: the caller
/// keeps it unchanged until then. An output's buffer is the caller's.
/// </summary>
public sealed class InferenceTensor
{
    private readonly long[] _shape;
    private readonly ReadOnlyMemory<float> _floats;
    private readonly ReadOnlyMemory<int> _ints;
    private readonly ReadOnlyMemory<long> _longs;

    /// <summary>A <see cref="TensorDataType.Float32"/> tensor.</summary>
    /// <exception cref="InferenceInputException">A dimension is negative, or <paramref name="data"/> does not hold the shape's element count.</exception>
    public InferenceTensor(string name, ReadOnlyMemory<float> data, ReadOnlySpan<long> shape)
        : this(name, TensorDataType.Float32, shape, data.Length)
        => _floats = data;

    /// <summary>An <see cref="TensorDataType.Int32"/> tensor.</summary>
    /// <exception cref="InferenceInputException">A dimension is negative, or <paramref name="data"/> does not hold the shape's element count.</exception>
    public InferenceTensor(string name, ReadOnlyMemory<int> data, ReadOnlySpan<long> shape)
        : this(name, TensorDataType.Int32, shape, data.Length)
        => _ints = data;

    /// <summary>An <see cref="TensorDataType.Int64"/> tensor.</summary>
    /// <exception cref="InferenceInputException">A dimension is negative, or <paramref name="data"/> does not hold the shape's element count.</exception>
    public InferenceTensor(string name, ReadOnlyMemory<long> data, ReadOnlySpan<long> shape)
        : this(name, TensorDataType.Int64, shape, data.Length)
        => _longs = data;

    private InferenceTensor(string name, TensorDataType dataType, ReadOnlySpan<long> shape, int length)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        long count = 1;
        foreach (long dimension in shape)
        {
            if (dimension < 0)
            {
                throw new InferenceInputException(InferenceInputError.WrongShape, name, $"Tensor '{name}' has a negative dimension ({dimension}).");
            }

            count = checked(count * dimension);
        }

        if (count != length)
        {
            throw new InferenceInputException(
                InferenceInputError.WrongShape,
                name,
                $"Tensor '{name}' of shape [{string.Join(", ", shape.ToArray())}] needs {count} elements; its data holds {length}.");
        }

        Name = name;
        DataType = dataType;
        _shape = shape.ToArray();
        ElementCount = count;
    }

    /// <summary>The input's or output's name.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public TensorDataType DataType { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>The number of elements: the product of <see cref="Shape"/>.</summary>
    public long ElementCount { get; }

    internal long[] ShapeArray => _shape;

    /// <summary>The data, row-major.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="int"/> or <see cref="long"/>, matching <see cref="DataType"/>.</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not the tensor's element type.</exception>
    public ReadOnlyMemory<T> GetData<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float) && DataType == TensorDataType.Float32)
        {
            return Unsafe.As<ReadOnlyMemory<float>, ReadOnlyMemory<T>>(ref Unsafe.AsRef(in _floats));
        }

        if (typeof(T) == typeof(int) && DataType == TensorDataType.Int32)
        {
            return Unsafe.As<ReadOnlyMemory<int>, ReadOnlyMemory<T>>(ref Unsafe.AsRef(in _ints));
        }

        if (typeof(T) == typeof(long) && DataType == TensorDataType.Int64)
        {
            return Unsafe.As<ReadOnlyMemory<long>, ReadOnlyMemory<T>>(ref Unsafe.AsRef(in _longs));
        }

        throw new InvalidOperationException($"Tensor '{Name}' holds {DataType}, not {typeof(T).Name}.");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {DataType} [{string.Join(", ", _shape)}]";
}
