namespace Interlude.Inference;

/// <summary>The element type of a tensor the device exchanges with a model.</summary>
public enum TensorDataType
{
    /// <summary>32-bit floating point (<see cref="float"/>; KServe's <c>FP32</c>).</summary>
    Float32 = 0,

    /// <summary>32-bit signed integer (<see cref="int"/>; KServe's <c>INT32</c>).</summary>
    Int32 = 1,

    /// <summary>64-bit signed integer (<see cref="long"/>; KServe's <c>INT64</c>).</summary>
    Int64 = 2,
}
