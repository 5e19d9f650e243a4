using System.Text.Json;

namespace InferenceServer.Protocol;

/// <summary>
/// Flattens one input's <c>data</c> (flat or nested arrays) into the array type of its data type, checking each
/// element. Stops at the expected count plus one, so an oversized array costs no more than the shape allows.
/// </summary>
internal sealed class TensorDataReader
{
    private const int MaxNesting = 32;

    private readonly string _name;
    private readonly TensorDataType _type;
    private readonly int _expected;
    private readonly Array _values;

    public TensorDataReader(string name, TensorDataType type, int expected)
    {
        _name = name;
        _type = type;
        _expected = expected;
        _values = Array.CreateInstance(InferTensor.ElementType(type), expected);
    }

    /// <summary>Elements read so far; one past the expected count means "more than the shape allows".</summary>
    public int Count { get; private set; }

    public Array Result => _values;

    public void ReadArray(JsonElement array, int depth)
    {
        if (depth > MaxNesting)
        {
            throw InferenceRequestException.BadRequest($"Input '{_name}': \"data\" is nested more than {MaxNesting} deep.");
        }

        foreach (JsonElement element in array.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                ReadArray(element, depth + 1);
            }
            else
            {
                Add(element);
            }

            if (Count > _expected)
            {
                return;
            }
        }
    }

    private void Add(JsonElement element)
    {
        if (Count == _expected)
        {
            Count++;
            return;
        }

        int i = Count;
        bool ok = _type switch
        {
            TensorDataType.Bool => element.ValueKind is JsonValueKind.True or JsonValueKind.False && Set(i, element.GetBoolean()),
            TensorDataType.UInt8 => element.ValueKind == JsonValueKind.Number && element.TryGetByte(out byte b) && Set(i, b),
            TensorDataType.Int32 => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int n) && Set(i, n),
            TensorDataType.Int64 => element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out long l) && Set(i, l),
            TensorDataType.Fp32 => element.ValueKind == JsonValueKind.Number && element.TryGetSingle(out float f) && float.IsFinite(f) && Set(i, f),
            TensorDataType.Fp64 => element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out double d) && double.IsFinite(d) && Set(i, d),
            TensorDataType.Bytes => element.ValueKind == JsonValueKind.String && Set(i, element.GetString()!),
            _ => false,
        };
        if (!ok)
        {
            string text = element.GetRawText();
            throw InferenceRequestException.BadRequest(
                $"Input '{_name}': element {i} is {(text.Length > 40 ? text[..40] + "…" : text)}, not a {TensorDataTypes.Name(_type)} value.");
        }

        Count++;
    }

    private bool Set<T>(int index, T value)
    {
        ((T[])_values)[index] = value;
        return true;
    }
}
