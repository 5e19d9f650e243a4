using System.Text.Json;

namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>Reads a JSON Lines file: one JSON object per non-empty line.</summary>
internal static class JsonLines
{
    public static string[] ReadLines(string path)
        => System.IO.File.ReadAllLines(path).Where(line => line.Length > 0).ToArray();

    public static JsonElement[] ReadObjects(string path)
        => ReadLines(path).Select(line =>
        {
            using JsonDocument document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }).ToArray();

    /// <summary>The property's number; fails the test with the object's text if it is missing or not a number.</summary>
    public static double Number(this JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Number)
        {
            throw new Xunit.Sdk.XunitException($"'{name}' is missing or not a number in {element.GetRawText()}");
        }

        return value.GetDouble();
    }
}
