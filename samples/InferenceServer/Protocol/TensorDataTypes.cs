namespace InferenceServer.Protocol;

/// <summary>Wire names of <see cref="TensorDataType"/>, both ways.</summary>
public static class TensorDataTypes
{
    /// <summary>Every wire name this server accepts, for error messages.</summary>
    public const string Supported = "BOOL, UINT8, INT32, INT64, FP32, FP64, BYTES";

    /// <summary>The wire name, for example <c>FP32</c>.</summary>
    public static string Name(TensorDataType type) => type switch
    {
        TensorDataType.Bool => "BOOL",
        TensorDataType.UInt8 => "UINT8",
        TensorDataType.Int32 => "INT32",
        TensorDataType.Int64 => "INT64",
        TensorDataType.Fp32 => "FP32",
        TensorDataType.Fp64 => "FP64",
        TensorDataType.Bytes => "BYTES",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a tensor data type."),
    };

    /// <summary>Parses a wire name (exact, upper case as the protocol spells it).</summary>
    public static bool TryParse(string? name, out TensorDataType type)
    {
        switch (name)
        {
            case "BOOL": type = TensorDataType.Bool; return true;
            case "UINT8": type = TensorDataType.UInt8; return true;
            case "INT32": type = TensorDataType.Int32; return true;
            case "INT64": type = TensorDataType.Int64; return true;
            case "FP32": type = TensorDataType.Fp32; return true;
            case "FP64": type = TensorDataType.Fp64; return true;
            case "BYTES": type = TensorDataType.Bytes; return true;
            default: type = default; return false;
        }
    }
}
