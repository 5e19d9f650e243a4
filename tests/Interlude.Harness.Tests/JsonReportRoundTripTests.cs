using System.Text.Json;
using Interlude.Harness.Measurement;
using Interlude.Harness.Reporting;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class JsonReportRoundTripTests : IDisposable
{
    private static readonly string[] s_promisedFields =
    [
        "mode", "offload_us", "cpu_us", "throughput_rps", "p50_us", "p99_us", "p999_us", "cpu_us_per_request", "csw_per_request", "efficiency",
    ];

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void EachResultBecomesOneLineHoldingOneObjectInTheOrderGiven()
    {
        RunResult[] results =
        [
            SampleResults.Typical("interlude-poll", "Interlude / Poll", offloadUs: 1),
            SampleResults.Typical("interlude-block", "Interlude / Block", offloadUs: 10),
            SampleResults.Typical("interlude-adaptive", "Interlude / Adaptive", offloadUs: 1_000),
        ];

        string[] lines = Write(results);

        Assert.Equal(3, lines.Length);
        JsonElement[] objects = lines.Select(Parse).ToArray();
        Assert.All(objects, o => Assert.Equal(JsonValueKind.Object, o.ValueKind));
        Assert.Equal(["interlude-poll", "interlude-block", "interlude-adaptive"], objects.Select(o => o.GetProperty("mode").GetString()));
        Assert.Equal([1.0, 10.0, 1_000.0], objects.Select(o => o.Number("offload_us")));
    }

    [Fact]
    public void EveryObjectCarriesTheFieldsTheReportPromisesUnderTheirDocumentedNames()
    {
        JsonElement written = Parse(Write([SampleResults.Typical()]).Single());

        Assert.Equal(JsonValueKind.String, written.GetProperty("mode").ValueKind);
        foreach (string field in s_promisedFields.Skip(1))
        {
            Assert.True(written.TryGetProperty(field, out JsonElement value), $"'{field}' is missing from {written.GetRawText()}");
            Assert.Equal(JsonValueKind.Number, value.ValueKind);
        }
    }

    [Fact]
    public void AWrittenResultReadsBackIntoTheValuesItWasWrittenFrom()
    {
        string line = Write([SampleResults.Typical()]).Single();

        JsonResultRecord record = JsonSerializer.Deserialize<JsonResultRecord>(line)
            ?? throw new Xunit.Sdk.XunitException("The line read back as null.");

        Assert.Equal("interlude-poll", record.Mode);
        Assert.Equal(10, record.OffloadUs);
        Assert.Equal(2, record.CpuUs);
        Assert.Equal(64, record.Concurrency);
        Assert.Equal(1, record.ApplicationCores);
        Assert.Equal(1, record.DeviceCore);
        Assert.Equal(900_000, record.Requests);
        Assert.Equal(2, record.DurationSeconds);
        Assert.Equal(450_000, record.ThroughputRps);
        Assert.Equal(500_000, record.BoundRps);
        Assert.Equal("cpu", record.BoundLimitedBy);
        Assert.Equal(0.9, record.Efficiency);
        Assert.Equal(2, record.CpuUsMeasured);
        Assert.Equal(1.99, record.CpuUsMeasuredBefore);
        Assert.Equal(2.01, record.CpuUsMeasuredAfter);
        AssertWithinHistogramPrecision(12, record.P50Us, "p50_us");
        AssertWithinHistogramPrecision(25, record.P99Us, "p99_us");
        AssertWithinHistogramPrecision(400, record.P999Us, "p999_us");
        Assert.Equal(3_000, record.MaxUs);
        Assert.Equal(2, record.CpuUsPerRequest);
        Assert.Equal(3, record.ProcessCpuUsPerRequest);
        Assert.Equal(0.0006, record.CswPerRequest);
        Assert.Equal(0.0005, record.VoluntaryCswPerRequest);
        Assert.Equal(0.0001, record.InvoluntaryCswPerRequest);
        Assert.Equal(0.01, record.LoopSleepsPerRequest);
        Assert.Equal(0.005, record.LoopWakesPerRequest);
        Assert.Equal(0.95, record.LoopBusy);
        Assert.Equal(20, record.AllocatedBytesPerRequest);
        Assert.Equal(3, record.Gen0Collections);
        Assert.Equal(1.15, record.OtherProcessesCores);
        Assert.Equal(0.1, record.StealCores);
        Assert.Equal(1, record.Stalls);
    }

    [Fact]
    public void PercentilesAreWrittenAsTheResultReportsThemInMicroseconds()
    {
        RunResult result = SampleResults.Typical();

        JsonResultRecord record = Read(Write([result]).Single());

        Assert.Equal(Math.Round(result.P50Us, 3), record.P50Us);
        Assert.Equal(Math.Round(result.P99Us, 3), record.P99Us);
        Assert.Equal(Math.Round(result.P999Us, 3), record.P999Us);
        Assert.True(record.P50Us <= record.P99Us && record.P99Us <= record.P999Us && record.P999Us <= record.MaxUs);
    }

    [Fact]
    public void FiguresThatCannotBeKnownAreWrittenAsNullAndReadBackAsNull()
    {
        string line = Write([SampleResults.Empty()]).Single();
        JsonElement written = Parse(line);
        JsonResultRecord record = Read(line);

        foreach (string field in (string[])["cpu_us_per_request", "csw_per_request", "loop_sleeps_per_request", "loop_wakes_per_request", "loop_busy"])
        {
            Assert.True(written.TryGetProperty(field, out JsonElement value), $"'{field}' is missing from {line}");
            Assert.Equal(JsonValueKind.Null, value.ValueKind);
        }

        Assert.Null(record.CpuUsPerRequest);
        Assert.Null(record.CswPerRequest);
        Assert.Null(record.LoopBusy);
        Assert.Equal(0, record.ThroughputRps);
        Assert.Equal(0, record.P50Us);
    }

    [Fact]
    public void ALineReadBackAndWrittenAgainIsTheSameLine()
    {
        string[] lines = Write([SampleResults.Typical(), SampleResults.Empty()]);

        foreach (string line in lines)
        {
            string rewritten = JsonSerializer.Serialize(Read(line), ReportJsonContext.Default.JsonResultRecord);
            Assert.Equal(line, rewritten);
        }
    }

    [Fact]
    public void TheReportReadsBackTheSameWithOrWithoutTheSourceGeneratedContext()
    {
        string line = Write([SampleResults.Typical()]).Single();

        JsonResultRecord generated = JsonSerializer.Deserialize(line, ReportJsonContext.Default.JsonResultRecord)!;
        JsonResultRecord reflected = JsonSerializer.Deserialize<JsonResultRecord>(line)!;

        Assert.Equal(
            JsonSerializer.Serialize(generated, ReportJsonContext.Default.JsonResultRecord),
            JsonSerializer.Serialize(reflected, ReportJsonContext.Default.JsonResultRecord));
    }

    private static void AssertWithinHistogramPrecision(double expectedUs, double actualUs, string field)
        => Assert.True(Math.Abs(actualUs - expectedUs) <= expectedUs * 0.004, $"{field}: {actualUs} us, expected {expectedUs} us within 0.4%");

    private static JsonElement Parse(string line)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    private static JsonResultRecord Read(string line)
        => JsonSerializer.Deserialize(line, ReportJsonContext.Default.JsonResultRecord)
            ?? throw new Xunit.Sdk.XunitException("The line read back as null.");

    private string[] Write(IReadOnlyList<RunResult> results)
    {
        string path = _directory.File("results.jsonl");
        JsonReportWriter.Write(new FileInfo(path), results, SampleResults.TwoCores);
        return JsonLines.ReadLines(path);
    }
}
