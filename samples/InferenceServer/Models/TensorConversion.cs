using InferenceServer.Protocol;
using Interlude.Inference;
using DeviceDataType = Interlude.Inference.TensorDataType;
using DeviceMetadata = Interlude.Inference.TensorMetadata;
using ProtocolMetadata = InferenceServer.Protocol.TensorMetadata;
using TensorDataType = InferenceServer.Protocol.TensorDataType;

namespace InferenceServer.Models;

/// <summary>Between the protocol's JSON tensors and the device's tensors (FP32, INT32 and INT64 on both sides).</summary>
internal static class TensorConversion
{
    public static ProtocolMetadata ToProtocol(DeviceMetadata metadata)
        => new(metadata.Name, ToProtocol(metadata.DataType), [.. metadata.Shape]);

    public static TensorDataType ToProtocol(DeviceDataType type) => type switch
    {
        DeviceDataType.Float32 => TensorDataType.Fp32,
        DeviceDataType.Int32 => TensorDataType.Int32,
        DeviceDataType.Int64 => TensorDataType.Int64,
        _ => throw new NotSupportedException($"The device's {type} tensors have no protocol data type here."),
    };

    public static InferenceTensor ToDevice(InferTensor tensor) => tensor.DataType switch
    {
        TensorDataType.Fp32 => new InferenceTensor(tensor.Name, tensor.As<float>(), tensor.Shape),
        TensorDataType.Int32 => new InferenceTensor(tensor.Name, tensor.As<int>(), tensor.Shape),
        TensorDataType.Int64 => new InferenceTensor(tensor.Name, tensor.As<long>(), tensor.Shape),
        _ => throw InferenceRequestException.BadRequest($"Input '{tensor.Name}' is {TensorDataTypes.Name(tensor.DataType)}; this model takes FP32, INT32 or INT64 tensors."),
    };

    public static InferTensor ToProtocol(InferenceTensor tensor)
    {
        long[] shape = [.. tensor.Shape];
        return tensor.DataType switch
        {
            DeviceDataType.Float32 => new InferTensor(tensor.Name, TensorDataType.Fp32, shape, tensor.GetData<float>().ToArray()),
            DeviceDataType.Int32 => new InferTensor(tensor.Name, TensorDataType.Int32, shape, tensor.GetData<int>().ToArray()),
            DeviceDataType.Int64 => new InferTensor(tensor.Name, TensorDataType.Int64, shape, tensor.GetData<long>().ToArray()),
            _ => throw new NotSupportedException($"The device's {tensor.DataType} tensors have no protocol data type here."),
        };
    }
}
