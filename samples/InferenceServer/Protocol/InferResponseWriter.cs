using System.Text.Json;
using InferenceServer.Models;

namespace InferenceServer.Protocol;

/// <summary>Writes the protocol's JSON: an inference response and a model's metadata.</summary>
public static class InferResponseWriter
{
    /// <summary><c>{"model_name", "id", "outputs": [{"name", "datatype", "shape", "data"}]}</c>, data flat in row-major order.</summary>
    public static void WriteResponse(Utf8JsonWriter writer, string modelName, string? id, IEnumerable<InferTensor> outputs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(outputs);
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, modelName);
        if (id is not null)
        {
            writer.WriteString("id"u8, id);
        }

        writer.WriteStartArray("outputs"u8);
        foreach (InferTensor output in outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, output.Name);
            writer.WriteString("datatype"u8, TensorDataTypes.Name(output.DataType));
            WriteShape(writer, output.Shape);
            writer.WriteStartArray("data"u8);
            WriteData(writer, output.Data);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary><c>{"name", "versions", "platform", "inputs": [...], "outputs": [...]}</c>.</summary>
    public static void WriteMetadata(Utf8JsonWriter writer, IServedModel model)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(model);
        writer.WriteStartObject();
        writer.WriteString("name"u8, model.Name);
        writer.WriteStartArray("versions"u8);
        writer.WriteStringValue("1");
        writer.WriteEndArray();
        writer.WriteString("platform"u8, model.Platform);
        WriteTensors(writer, "inputs"u8, model.Inputs);
        WriteTensors(writer, "outputs"u8, model.Outputs);
        writer.WriteEndObject();
    }

    private static void WriteTensors(Utf8JsonWriter writer, ReadOnlySpan<byte> property, IReadOnlyList<TensorMetadata> tensors)
    {
        writer.WriteStartArray(property);
        foreach (TensorMetadata tensor in tensors)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, tensor.Name);
            writer.WriteString("datatype"u8, TensorDataTypes.Name(tensor.DataType));
            WriteShape(writer, tensor.Shape);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteShape(Utf8JsonWriter writer, long[] shape)
    {
        writer.WriteStartArray("shape"u8);
        foreach (long dimension in shape)
        {
            writer.WriteNumberValue(dimension);
        }

        writer.WriteEndArray();
    }

    private static void WriteData(Utf8JsonWriter writer, Array data)
    {
        switch (data)
        {
            case float[] floats:
                foreach (float value in floats)
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case double[] doubles:
                foreach (double value in doubles)
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case long[] longs:
                foreach (long value in longs)
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case int[] ints:
                foreach (int value in ints)
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case byte[] bytes:
                foreach (byte value in bytes)
                {
                    writer.WriteNumberValue(value);
                }

                break;
            case bool[] bools:
                foreach (bool value in bools)
                {
                    writer.WriteBooleanValue(value);
                }

                break;
            case string[] strings:
                foreach (string value in strings)
                {
                    writer.WriteStringValue(value);
                }

                break;
            default:
                throw new ArgumentException($"{data.GetType().Name} is not a tensor's data.", nameof(data));
        }
    }
}
