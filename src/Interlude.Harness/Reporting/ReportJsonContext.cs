using System.Text.Json.Serialization;

namespace Interlude.Harness.Reporting;

/// <summary>Source-generated serialisation of the report, so writing it needs no reflection.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(JsonResultRecord))]
public sealed partial class ReportJsonContext : JsonSerializerContext
{
}
