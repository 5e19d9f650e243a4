using System.Globalization;
using System.Text.Json;

namespace Interlude.Harness.Inference;

/// <summary>Reads the inference server's <c>GET /v2/models/{name}/stats</c> answer.</summary>
public static class ModelStatsJson
{
    /// <summary>
    /// The batch-size histogram of <paramref name="json"/>'s <c>batch_sizes</c> object (<c>{"1": 40, "7": 2}</c>):
    /// element i counts the runs of i requests.
    /// </summary>
    public static long[] ParseBatchSizes(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("batch_sizes", out JsonElement sizes) || sizes.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The model's statistics have no batch_sizes object.");
        }

        var counts = new SortedDictionary<int, long>();
        foreach (JsonProperty size in sizes.EnumerateObject())
        {
            if (!int.TryParse(size.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int batch) || batch < 1 || batch > 1 << 20)
            {
                throw new FormatException($"batch_sizes has a key that is not a batch size: '{size.Name}'.");
            }

            counts[batch] = size.Value.GetInt64();
        }

        var histogram = new long[counts.Count == 0 ? 0 : counts.Keys.Max() + 1];
        foreach ((int batch, long count) in counts)
        {
            histogram[batch] = count;
        }

        return histogram;
    }
}
