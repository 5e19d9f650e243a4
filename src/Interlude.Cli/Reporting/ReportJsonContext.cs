using System.Text.Json.Serialization;

namespace Interlude.Cli.Reporting;

/// <summary>Source-generated serialisation of the report, so writing it needs no reflection.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(JsonResultRecord))]
internal sealed partial class ReportJsonContext : JsonSerializerContext
{
}
