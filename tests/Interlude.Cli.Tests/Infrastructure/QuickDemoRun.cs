using System.Globalization;
using System.Text.Json;
using Interlude.Harness.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cli.Tests.Infrastructure;

/// <summary>
/// One reduced run of <c>interlude demo --quick</c>, shared by the tests that look at what it printed and wrote:
/// the demo pins a spinning device thread, so it runs once, as short as its options allow.
/// </summary>
public sealed class QuickDemoRun : IAsyncLifetime
{
    public const double OffloadUs = 10;

    public const int Concurrency = 8;

    private readonly TemporaryDirectory _directory = new();

    internal string JsonPath => _directory.File("demo.jsonl");

    internal CliRun Run { get; private set; } = new(-1, string.Empty, string.Empty);

    internal JsonElement[] Objects { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Run = await CommandLine.RunInAsync(
            _directory.Path,
            "demo",
            "--quick",
            "--duration",
            "0.1",
            "--offload-us",
            OffloadUs.ToString(CultureInfo.InvariantCulture),
            "--concurrency",
            Concurrency.ToString(CultureInfo.InvariantCulture),
            "--json",
            JsonPath);
        if (File.Exists(JsonPath))
        {
            Objects = JsonLines.ReadObjects(JsonPath);
        }
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
