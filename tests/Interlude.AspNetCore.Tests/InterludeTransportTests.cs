using System.Net;
using System.Net.Sockets;
using Interlude.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Interlude.AspNetCore.Tests;

/// <summary>What only the Interlude transport promises: where connections live and who owns the loops.</summary>
public sealed class InterludeTransportTests
{
    [Fact]
    public async Task ConnectionsSpreadOverEveryLoopAndEachStaysOnItsLoop()
    {
        await using TestServer server = await TestServer.StartAsync(TransportKind.Interlude, TestServer.Loops(WaitStrategy.Block));
        var loops = new HashSet<string>();

        // Every loop accepts, and the kernel hashes each connection to one: 32 make both loops all but certain.
        for (int c = 0; c < 32; c++)
        {
            using RawHttpConnection connection = await RawHttpConnection.ConnectAsync(server.EndPoint);
            string? first = null;
            for (int i = 0; i < 5; i++)
            {
                await connection.SendAsync("GET /loop HTTP/1.1\r\nHost: test\r\n\r\n");
                string index = (await connection.ReadResponseAsync().Guarded()).BodyText;
                first ??= index;
                Assert.Equal(first, index);
            }

            loops.Add(first!);
        }

        Assert.Equal(new[] { "0", "1" }, loops.Order());
    }

    [Fact]
    public async Task AcceptingOnOneLoopGivesConnectionsToTheLoopsInTurn()
    {
        await using TestServer server = await TestServer.StartAsync(TransportKind.Interlude, options =>
        {
            TestServer.Loops(WaitStrategy.Block)(options);
            options.AcceptOnEveryLoop = false;
        });
        var loops = new List<string>();

        for (int c = 0; c < 4; c++)
        {
            using RawHttpConnection connection = await RawHttpConnection.ConnectAsync(server.EndPoint);
            await connection.SendAsync("GET /loop HTTP/1.1\r\nHost: test\r\n\r\n");
            loops.Add((await connection.ReadResponseAsync().Guarded()).BodyText);
        }

        Assert.Equal(new[] { "0", "1", "0", "1" }, loops);
    }

    [Fact]
    public async Task AnAddressSomeoneElseListensOnFailsTheStartWithKestrelsAddressInUseError()
    {
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        other.Listen();
        int port = ((IPEndPoint)other.LocalEndPoint!).Port;

        IOException error = await Assert.ThrowsAsync<IOException>(() => TestServer.StartAsync(
            TransportKind.Interlude,
            TestServer.Loops(WaitStrategy.Block),
            kestrel: options => options.Listen(IPAddress.Loopback, port))).Guarded();

        Assert.Contains("address already in use", error.Message, StringComparison.OrdinalIgnoreCase);
        AddressInUseException inUse = Assert.IsType<AddressInUseException>(error.InnerException);
        Assert.Contains($"127.0.0.1:{port}", inUse.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASuppliedLoopGroupServesTheAppAndOutlivesTheHost()
    {
        await using var group = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false, StallThreshold = TimeSpan.Zero });
        await using (TestServer server = await TestServer.StartAsync(TransportKind.Interlude, options => options.LoopGroup = group))
        {
            using HttpClient client = server.CreateClient();
            Assert.Equal("0", await client.GetStringAsync(new Uri("/loop", UriKind.Relative)).Guarded());
        }

        Assert.Equal(42, await group.RunAsync(() => ValueTask.FromResult(42)).Guarded());
    }

    [Fact]
    public async Task AHandlerAwaitingAnOffloadResumesOnItsLoopWhileOtherRequestsAreServed()
    {
        using var device = new SimulatedAccelerator(new SimulatedAcceleratorOptions
        {
            ServiceTime = ServiceTime.Fixed(TimeSpan.FromMilliseconds(2)),
            IdleSpin = TimeSpan.FromMicroseconds(50),
        });
        await using TestServer server = await TestServer.StartAsync(TransportKind.Interlude, TestServer.Loops(WaitStrategy.Block), map: app => app.MapGet("/offload", async () =>
        {
            Loop? before = Loop.Current;
            await device.SubmitAsync();
            return before is not null && ReferenceEquals(before, Loop.Current) ? "same loop" : "moved";
        }));
        using HttpClient client = server.CreateClient(maxConnections: 32);

        string[] answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(
            _ => client.GetStringAsync(new Uri("/offload", UriKind.Relative)))).Guarded();

        Assert.All(answers, a => Assert.Equal("same loop", a));
    }

    [Theory]
    [InlineData(WaitStrategy.Poll)]
    [InlineData(WaitStrategy.Block)]
    [InlineData(WaitStrategy.Adaptive)]
    public async Task ABodyReadFailingBecauseTheClientResetIsAnAbortedRequestNotAnApplicationError(WaitStrategy strategy)
    {
        // Kestrel logs an exception escaping the application at error level unless, by the time it arrives, it has
        // seen the connection close. Kestrel's socket transport leaves that to a race; this transport tells Kestrel
        // of the close before the read fails.
        await using TestServer server = await TestServer.StartAsync(TransportKind.Interlude, TestServer.Loops(strategy));
        using (RawHttpConnection aborting = await RawHttpConnection.ConnectAsync(server.EndPoint))
        {
            await aborting.SendAsync("POST /upload-unhandled HTTP/1.1\r\nHost: test\r\nContent-Length: 1000000\r\n\r\n");
            await aborting.SendAsync(new byte[10_000]);
            await server.Endpoints.UploadStarted.Task.Guarded();
            aborting.Reset();
        }

        Assert.IsAssignableFrom<IOException>(await server.Endpoints.UploadFailed.Task.Guarded());

        // Stopping the server fails the test if the escaped exception was logged at error level.
        await server.DisposeAsync();
    }

    [Fact]
    public async Task KestrelsKeepAliveTimeoutClosesAnIdleConnectionOnTheLoops()
    {
        // Kestrel's own limits sit above the transport and apply unchanged; its heartbeat enforces them.
        await using TestServer server = await TestServer.StartAsync(
            TransportKind.Interlude,
            TestServer.Loops(WaitStrategy.Block),
            kestrel: options => options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(1));
        using RawHttpConnection connection = await RawHttpConnection.ConnectAsync(server.EndPoint);
        await connection.SendAsync("GET /plaintext HTTP/1.1\r\nHost: test\r\n\r\n");
        Assert.Equal("Hello, World!", (await connection.ReadResponseAsync().Guarded()).BodyText);

        Assert.True(await connection.IsClosedByServerAsync().Guarded());
    }
}
