using System.Globalization;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Packaging.Tests.Infrastructure;
using Xunit;

namespace Interlude.Packaging.Tests;

/// <summary>
/// Packs every shipped project once, from a copy of the sources, with a version no registry has (so nothing but
/// these packages can satisfy it), into a folder the tests install and restore from.
/// </summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    public static readonly string[] Shipped =
        ["src/Interlude", "src/Interlude.AspNetCore", "src/Interlude.Crypto", "src/Interlude.Inference", "src/Interlude.Inference.Vision", "src/Interlude.Cli"];

    private readonly TemporaryDirectory _directory = new();

    public string Version { get; } = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    public string Root => _directory.Path;

    public string Packages => Path.Combine(Root, "packages");

    /// <summary>A package cache of the tests' own, so the test versions never land in the machine's.</summary>
    public string Cache => Path.Combine(Root, "nuget-cache");

    /// <summary>What packing printed, for failure messages.</summary>
    public string Log { get; private set; } = string.Empty;

    public int ExitCode { get; private set; } = -1;

    public async Task InitializeAsync()
    {
        string sources = Path.Combine(Root, "sources");
        Directory.CreateDirectory(sources);
        Directory.CreateDirectory(Packages);
        Directory.CreateDirectory(Cache);
        RepositoryCopy.CopyTo(RepositoryCopy.FindRoot(), sources);
        foreach (string project in Shipped)
        {
            (int exitCode, string output) = await Dotnet.RunAsync(
                Dotnet.Host, sources, null, "pack", project, "-c", "Release", "-o", Packages, $"-p:Version={Version}", "-nodeReuse:false");
            Log += $"--- dotnet pack {project}: exit {exitCode} ---{Environment.NewLine}{output}";
            ExitCode = exitCode;
            if (exitCode != 0)
            {
                return;
            }
        }
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
