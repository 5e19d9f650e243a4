namespace Interlude.Inference;

/// <summary>What a model expects of one input, or gives as one output: its name, element type and shape.</summary>
public sealed class TensorMetadata
{
    private readonly long[] _shape;

    internal TensorMetadata(string name, TensorDataType dataType, long[] shape)
    {
        Name = name;
        DataType = dataType;
        _shape = shape;
    }

    /// <summary>The input's or output's name.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public TensorDataType DataType { get; }

    /// <summary>The dimensions, outermost first; -1 for one the model leaves open (a batch or sequence length).</summary>
    public IReadOnlyList<long> Shape => _shape;

    internal long[] ShapeArray => _shape;

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {DataType} [{string.Join(", ", _shape)}]";
}
