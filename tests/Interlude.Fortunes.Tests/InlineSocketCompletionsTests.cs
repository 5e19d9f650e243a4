using System.Net.Http.Json;
using Interlude.Fortunes.Tests.Infrastructure;
using Interlude.Harness.Db;
using Xunit;

namespace Interlude.Fortunes.Tests;

/// <summary>
/// <c>--Interlude:InlineSocketCompletions=true</c> in the app's own process, the only place it may be turned on: it
/// changes how every System.Net.Sockets socket of the process completes, once and for good, so these tests start
/// the built app (Fortunes.dll beside this assembly) as child processes, the way bench db does.
/// </summary>
public sealed class InlineSocketCompletionsTests
{
    /// <summary>.NET starts one socket engine thread per core when completions are inline, one per 30 cores otherwise.</summary>
    private const int Cores = 4;

    private const string InlineLine = ".NET's socket completions run inline on its socket engine's threads";

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);

    [PostgresFact]
    public async Task The_option_makes_the_socket_engine_complete_inline_and_the_database_endpoint_still_answers()
    {
        await using DbServer inline = await StartAsync("inline", ["--Interlude:InlineSocketCompletions=true"], []);
        await using DbServer pooled = await StartAsync("pooled", [], []);

        await AssertDbAnswersAsync(inline);
        await AssertDbAnswersAsync(pooled);

        // Both engines have started (Npgsql's sockets are .NET's own): one thread per core inline, one without.
        Assert.Equal(Cores, SocketEngineThreads(inline));
        Assert.Equal(1, SocketEngineThreads(pooled));
        Assert.Contains(InlineLine, inline.Output, StringComparison.Ordinal);
        Assert.Contains("the transport set DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 before the engine started", inline.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(InlineLine, pooled.Output, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_value_the_environment_gives_is_respected_and_reported()
    {
        await using DbServer server = await StartAsync("respected", ["--Interlude:InlineSocketCompletions=true"], ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0"]);

        await AssertDbAnswersAsync(server);

        Assert.Equal(1, SocketEngineThreads(server));
        Assert.DoesNotContain(InlineLine, server.Output, StringComparison.Ordinal);
        Assert.Contains("InlineSocketCompletions is on but not in effect", server.Output, StringComparison.Ordinal);
        Assert.Contains("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0", server.Output, StringComparison.Ordinal);
    }

    private static Task<DbServer> StartAsync(string name, string[] arguments, string[] environment)
        => DbServer.StartAsync(
            name,
            [DotnetHost(), Path.Combine(AppContext.BaseDirectory, "Fortunes.dll")],
            "interlude",
            connectionString: null,
            ["--Logging:LogLevel:Interlude.AspNetCore=Information", "--Interlude:Loops:LoopCount=1", .. arguments],
            [
                // The same engine count on every machine, and nothing inherited from whoever runs the tests.
                $"DOTNET_PROCESSOR_COUNT={Cores}",
                "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=",
                "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=",
                .. environment,
            ],
            s_startTimeout,
            CancellationToken.None);

    private static async Task AssertDbAnswersAsync(DbServer server)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        for (int i = 0; i < 20; i++)
        {
            World? world = await client.GetFromJsonAsync<World>("db");
            Assert.NotNull(world);
            Assert.InRange(world.Id, 1, 10_000);
            Assert.InRange(world.RandomNumber, 1, 10_000);
        }
    }

    /// <summary>The child's threads named ".NET Sockets" (/proc shows at most 15 characters of a name).</summary>
    private static int SocketEngineThreads(DbServer server)
        => Directory.GetDirectories($"/proc/{server.ProcessId}/task")
            .Count(task => File.Exists(Path.Combine(task, "comm")) && File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == ".NET Sockets");

    private static string DotnetHost()
        => Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet"
            ? current
            : Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))
                ? Path.Combine(root, "dotnet")
                : "dotnet";

    private sealed record World(int Id, int RandomNumber);
}
