namespace Interlude.Inference.Vision;

/// <summary>One input or output of a model: the name an inference runtime knows it by, and its shape.</summary>
public sealed class TensorDescription
{
    private readonly long[] _shape;

    internal TensorDescription(string name, params long[] shape)
    {
        Name = name;
        _shape = shape;
        long count = 1;
        foreach (long dimension in shape)
        {
            count *= dimension;
        }

        ElementCount = count;
    }

    /// <summary>The tensor's name in the model file, as ONNX Runtime reports it.</summary>
    public string Name { get; }

    /// <summary>The tensor's dimensions, outermost (the batch) first.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>The number of elements the shape holds.</summary>
    public long ElementCount { get; }

    /// <summary>A new copy of <see cref="Shape"/>, in the form runtimes take to create a tensor.</summary>
    public long[] ToShapeArray() => (long[])_shape.Clone();

    /// <summary>The name and shape, as in <c>input:0 [1, 128, 128, 3]</c>.</summary>
    public override string ToString() => $"{Name} [{string.Join(", ", _shape)}]";
}
