namespace InferenceServer.Protocol;

/// <summary>
/// What a model says of one of its inputs or outputs in its metadata: name, data type and shape, where -1 is a
/// dimension that varies (the batch, a sequence length).
/// </summary>
public sealed record TensorMetadata(string Name, TensorDataType DataType, long[] Shape)
{
    /// <summary>Whether <paramref name="shape"/> fits: the same rank, and every fixed dimension equal.</summary>
    public bool Accepts(ReadOnlySpan<long> shape)
    {
        if (shape.Length != Shape.Length)
        {
            return false;
        }

        for (int i = 0; i < shape.Length; i++)
        {
            if (Shape[i] >= 0 && Shape[i] != shape[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The shape as the protocol's error messages and metadata print it, for example <c>[-1, 384]</c>.</summary>
    public string ShapeText => Format(Shape);

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
