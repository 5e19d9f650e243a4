using System.Buffers;
using System.Text.Json;
using InferenceServer.Protocol;
using Xunit;

namespace Interlude.InferenceServer.Tests;

public sealed class InferResponseWriterTests
{
    [Fact]
    public void A_response_carries_the_model_the_id_and_each_output_flat_with_its_shape()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            InferResponseWriter.WriteResponse(writer, "m", "r7",
            [
                new InferTensor("y", TensorDataType.Fp32, [2, 2], new float[] { 0.5f, -1, 2, 3 }),
                new InferTensor("label", TensorDataType.Bytes, [1], new[] { "face" }),
            ]);
        }

        using JsonDocument json = JsonDocument.Parse(buffer.WrittenMemory);
        JsonElement root = json.RootElement;
        Assert.Equal("m", root.GetProperty("model_name").GetString());
        Assert.Equal("r7", root.GetProperty("id").GetString());
        JsonElement y = root.GetProperty("outputs")[0];
        Assert.Equal("FP32", y.GetProperty("datatype").GetString());
        Assert.Equal([2L, 2L], y.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([0.5f, -1f, 2f, 3f], y.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal("face", root.GetProperty("outputs")[1].GetProperty("data")[0].GetString());
    }

    [Fact]
    public void A_tensor_refuses_data_of_another_type_or_length()
    {
        Assert.Throws<ArgumentException>(() => new InferTensor("x", TensorDataType.Fp32, [2], new long[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => new InferTensor("x", TensorDataType.Fp32, [3], new float[] { 1, 2 }));
    }
}
