using System.Text.Json;

namespace InferenceServer.Protocol;

/// <summary>
/// Reads the JSON body of <c>POST /v2/models/{name}/infer</c>: <c>{"id", "inputs": [{"name", "shape", "datatype",
/// "data"}], "outputs": [{"name"}]}</c>, with <c>data</c> flat or nested in row-major order. Every fault is an
/// <see cref="InferenceRequestException"/> (400) naming the input and what was wrong with it.
/// </summary>
public static class InferRequestReader
{
    /// <summary>The most elements one request may carry over all its inputs.</summary>
    public const long DefaultMaxElements = 16 * 1024 * 1024;

    public static InferRequest Read(ReadOnlyMemory<byte> json, long maxElements = DefaultMaxElements)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw InferenceRequestException.BadRequest($"The body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw InferenceRequestException.BadRequest("The body must be a JSON object with an \"inputs\" array.");
            }

            string? id = null;
            if (root.TryGetProperty("id", out JsonElement idElement))
            {
                id = idElement.ValueKind == JsonValueKind.String
                    ? idElement.GetString()
                    : throw InferenceRequestException.BadRequest("\"id\" must be a string.");
            }

            if (!root.TryGetProperty("inputs", out JsonElement inputsElement) || inputsElement.ValueKind != JsonValueKind.Array)
            {
                throw InferenceRequestException.BadRequest("The body has no \"inputs\" array.");
            }

            var inputs = new List<InferTensor>(inputsElement.GetArrayLength());
            var names = new HashSet<string>(StringComparer.Ordinal);
            long budget = maxElements;
            foreach (JsonElement input in inputsElement.EnumerateArray())
            {
                InferTensor tensor = ReadTensor(input, ref budget, maxElements);
                if (!names.Add(tensor.Name))
                {
                    throw InferenceRequestException.BadRequest($"Input '{tensor.Name}' is given more than once.");
                }

                inputs.Add(tensor);
            }

            if (inputs.Count == 0)
            {
                throw InferenceRequestException.BadRequest("\"inputs\" is empty.");
            }

            return new InferRequest(id, inputs, ReadOutputs(root));
        }
    }

    private static List<string>? ReadOutputs(JsonElement root)
    {
        if (!root.TryGetProperty("outputs", out JsonElement outputsElement))
        {
            return null;
        }

        if (outputsElement.ValueKind != JsonValueKind.Array)
        {
            throw InferenceRequestException.BadRequest("\"outputs\" must be an array of {\"name\": ...} objects.");
        }

        var outputs = new List<string>();
        foreach (JsonElement output in outputsElement.EnumerateArray())
        {
            if (output.ValueKind != JsonValueKind.Object || !output.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String)
            {
                throw InferenceRequestException.BadRequest("Each of \"outputs\" must be an object with a string \"name\".");
            }

            outputs.Add(name.GetString()!);
        }

        return outputs;
    }

    private static InferTensor ReadTensor(JsonElement input, ref long budget, long maxElements)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw InferenceRequestException.BadRequest("Each input must be an object with \"name\", \"shape\", \"datatype\" and \"data\".");
        }

        string name = input.TryGetProperty("name", out JsonElement nameElement) && nameElement.ValueKind == JsonValueKind.String
            ? nameElement.GetString()!
            : throw InferenceRequestException.BadRequest("An input has no string \"name\".");
        if (name.Length == 0)
        {
            throw InferenceRequestException.BadRequest("An input has an empty \"name\".");
        }

        string? typeName = input.TryGetProperty("datatype", out JsonElement typeElement) && typeElement.ValueKind == JsonValueKind.String
            ? typeElement.GetString()
            : throw InferenceRequestException.BadRequest($"Input '{name}' has no string \"datatype\".");
        if (!TensorDataTypes.TryParse(typeName, out TensorDataType type))
        {
            throw InferenceRequestException.BadRequest($"Input '{name}' has datatype \"{typeName}\"; this server accepts {TensorDataTypes.Supported}.");
        }

        long[] shape = ReadShape(name, input);
        long count;
        try
        {
            count = InferTensor.ElementCount(shape);
        }
        catch (OverflowException)
        {
            count = long.MaxValue;
        }

        if (count > budget)
        {
            throw new InferenceRequestException(413, $"Input '{name}' has {count} elements; a request may carry at most {maxElements} over all its inputs.");
        }

        budget -= count;
        if (!input.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Array)
        {
            throw InferenceRequestException.BadRequest($"Input '{name}' has no \"data\" array (binary data extensions are not supported).");
        }

        var reader = new TensorDataReader(name, type, (int)count);
        reader.ReadArray(data, depth: 0);
        if (reader.Count != count)
        {
            throw InferenceRequestException.BadRequest(
                $"Input '{name}' has shape {TensorMetadata.Format(shape)}, {count} elements, but its data holds {reader.Count}.");
        }

        return new InferTensor(name, type, shape, reader.Result);
    }

    private static long[] ReadShape(string name, JsonElement input)
    {
        if (!input.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw InferenceRequestException.BadRequest($"Input '{name}' has no \"shape\" array.");
        }

        var shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (JsonElement dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out long value) || value < 0)
            {
                throw InferenceRequestException.BadRequest($"Input '{name}': each dimension of \"shape\" must be a non-negative integer; dimension {i} is {dimension.GetRawText()}.");
            }

            shape[i++] = value;
        }

        return shape;
    }
}
