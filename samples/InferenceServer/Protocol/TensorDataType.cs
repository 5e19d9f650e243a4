namespace InferenceServer.Protocol;

/// <summary>The tensor data types of the Open Inference Protocol (KServe v2), by their wire names.</summary>
public enum TensorDataType
{
    /// <summary><c>BOOL</c>: JSON true or false.</summary>
    Bool,

    /// <summary><c>UINT8</c>.</summary>
    UInt8,

    /// <summary><c>INT32</c>.</summary>
    Int32,

    /// <summary><c>INT64</c>.</summary>
    Int64,

    /// <summary><c>FP32</c>.</summary>
    Fp32,

    /// <summary><c>FP64</c>.</summary>
    Fp64,

    /// <summary><c>BYTES</c>: each element a JSON string (UTF-8 text).</summary>
    Bytes,
}
