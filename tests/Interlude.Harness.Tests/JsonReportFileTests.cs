using Interlude.Harness.Reporting;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class JsonReportFileTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void WritingLeavesOnlyTheReportInItsDirectory()
    {
        string path = _directory.File("results.jsonl");

        JsonReportWriter.Write(new FileInfo(path), [SampleResults.Typical()], SampleResults.TwoCores);

        Assert.Equal(["results.jsonl"], _directory.Entries());
        Assert.Single(JsonLines.ReadLines(path));
    }

    [Fact]
    public void AnExistingFileIsReplacedWhole()
    {
        string path = _directory.File("results.jsonl");
        File.WriteAllText(path, string.Join('\n', Enumerable.Repeat("{\"mode\":\"stale\"}", 50)));

        JsonReportWriter.Write(new FileInfo(path), [SampleResults.Typical("interlude-block")], SampleResults.TwoCores);

        Assert.Equal("interlude-block", Assert.Single(JsonLines.ReadObjects(path)).GetProperty("mode").GetString());
        Assert.Equal(["results.jsonl"], _directory.Entries());
    }

    [Fact]
    public void AStrayTemporaryFileFromAKilledRunDoesNotStopTheNextWrite()
    {
        string path = _directory.File("results.jsonl");
        string stray = _directory.File($".results.jsonl.{Environment.ProcessId}.tmp");
        File.WriteAllText(stray, "partial");

        JsonReportWriter.Write(new FileInfo(path), [SampleResults.Typical()], SampleResults.TwoCores);

        Assert.Single(JsonLines.ReadLines(path));
        Assert.Equal("partial", File.ReadAllText(stray));
    }

    [Fact]
    public void NoResultsGiveAnEmptyFile()
    {
        string path = _directory.File("results.jsonl");

        JsonReportWriter.Write(new FileInfo(path), [], SampleResults.TwoCores);

        Assert.Equal(string.Empty, File.ReadAllText(path));
    }

    [Fact]
    public void AMissingDirectoryIsAnErrorAndCreatesNothing()
    {
        string missing = _directory.File("missing");
        string path = Path.Combine(missing, "results.jsonl");

        Assert.ThrowsAny<IOException>(() => JsonReportWriter.Write(new FileInfo(path), [SampleResults.Typical()], SampleResults.TwoCores));

        Assert.False(Directory.Exists(missing));
        Assert.Empty(_directory.Entries());
    }

    [Fact]
    public void ADestinationThatIsADirectoryIsAnErrorAndLeavesNothingBehind()
    {
        string path = _directory.File("results.jsonl");
        Directory.CreateDirectory(path);

        Assert.ThrowsAny<IOException>(() => JsonReportWriter.Write(new FileInfo(path), [SampleResults.Typical()], SampleResults.TwoCores));

        Assert.Equal(["results.jsonl"], _directory.Entries());
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }

    [Fact]
    public void AFailureMidwayLeavesTheExistingFileUntouchedAndNoPartialFileBehind()
    {
        string path = _directory.File("results.jsonl");
        const string previous = "{\"mode\":\"previous\"}\n";
        File.WriteAllText(path, previous);

        Assert.Throws<InvalidOperationException>(
            () => JsonReportWriter.Write(new FileInfo(path), new FailingResults(SampleResults.Typical()), SampleResults.TwoCores));

        Assert.Equal(previous, File.ReadAllText(path));
        Assert.Equal(["results.jsonl"], _directory.Entries());
    }

    [Fact]
    public void AFailureMidwayWithoutAnExistingFileCreatesNone()
    {
        string path = _directory.File("results.jsonl");

        Assert.Throws<InvalidOperationException>(
            () => JsonReportWriter.Write(new FileInfo(path), new FailingResults(SampleResults.Typical()), SampleResults.TwoCores));

        Assert.Empty(_directory.Entries());
    }

    [Fact]
    public void ARelativeDestinationIsWrittenWhereItPoints()
    {
        string previousDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _directory.Path;
        try
        {
            JsonReportWriter.Write(new FileInfo("results.jsonl"), [SampleResults.Typical()], SampleResults.TwoCores);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
        }

        Assert.Equal(["results.jsonl"], _directory.Entries());
    }
}
