using System.Buffers.Binary;
using System.Net.Sockets;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// The framed server's timeouts close connections that hold the server without using it. Short timeouts keep the
/// tests quick; nothing here measures how long a close took, only why it happened and that good clients carry on.
/// </summary>
public sealed class FramedServerTimeoutTests
{
    private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(300);

    // Where a well-behaved client must get its first request in before the idle timeout: long enough for a client
    // that is still being compiled on a busy machine.
    private static readonly TimeSpan s_idleForRealClients = TimeSpan.FromSeconds(1);

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AConnectionThatSendsNothingIsClosedByTheIdleTimeout(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using FramedServer server = await StartAsync(group, new FramedServerOptions { IdleTimeout = s_short });
        Task<FramedConnectionClosedEventArgs> closed = NextClose(server);
        using var silent = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(server.EndPoint).Guarded();

        FramedConnectionClosedEventArgs report = await closed.Guarded();

        Assert.Equal(FramedCloseReason.IdleTimeout, report.Reason);
        Assert.Contains("FramedServerOptions.IdleTimeout", Assert.IsType<TimeoutException>(report.Error).Message, StringComparison.Ordinal);
        Assert.Equal(0, await silent.ReceiveAsync(new byte[1]).Guarded());
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AHeaderThatNeverCompletesIsClosedByTheHeaderTimeout(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using FramedServer server = await StartAsync(group, new FramedServerOptions { HeaderTimeout = s_short });
        Task<FramedConnectionClosedEventArgs> closed = NextClose(server);
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(server.EndPoint).Guarded();

        await client.SendAsync(new byte[2]).Guarded();

        FramedConnectionClosedEventArgs report = await closed.Guarded();
        Assert.Equal(FramedCloseReason.HeaderTimeout, report.Reason);
        Assert.Contains("FramedServerOptions.HeaderTimeout", report.Error!.Message, StringComparison.Ordinal);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AFrameThatStopsHalfWayIsClosedByTheFrameTimeout(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using FramedServer server = await StartAsync(group, new FramedServerOptions { FrameTimeout = s_short, MinDataRate = 0 });
        Task<FramedConnectionClosedEventArgs> closed = NextClose(server);
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(server.EndPoint).Guarded();

        await client.SendAsync(Header(1000, extra: 500)).Guarded();

        FramedConnectionClosedEventArgs report = await closed.Guarded();
        Assert.Equal(FramedCloseReason.FrameTimeout, report.Reason);
        Assert.Contains("FramedServerOptions.FrameTimeout", report.Error!.Message, StringComparison.Ordinal);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AClientTricklingAFrameByteByByteIsClosedByTheMinimumDataRate(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using FramedServer server = await StartAsync(group, new FramedServerOptions { MinDataRateGracePeriod = s_short });
        Task<FramedConnectionClosedEventArgs> closed = NextClose(server);
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(server.EndPoint).Guarded();
        using var stop = new CancellationTokenSource();

        // One byte every 20 ms is 50 bytes a second, under the default 240.
        Task trickle = Task.Run(async () =>
        {
            await client.SendAsync(Header(100_000, extra: 0));
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(20);
                try
                {
                    await client.SendAsync(new byte[1]);
                }
                catch (SocketException)
                {
                    return;
                }
            }
        });

        FramedConnectionClosedEventArgs report = await closed.Guarded();
        await stop.CancelAsync();
        await trickle.Guarded();
        Assert.Equal(FramedCloseReason.ReceiveRateTooLow, report.Reason);
        Assert.Contains("FramedServerOptions.MinDataRate", report.Error!.Message, StringComparison.Ordinal);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task APeerThatStopsTakingItsRepliesIsClosedByTheMinimumDataRate(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        byte[] reply = new byte[256 * 1024];
        await using FramedServer server = await FramedServer.StartAsync(
            group,
            (connection, frame) => connection.SendAsync(reply),
            new FramedServerOptions { MinDataRateGracePeriod = s_short, MaxPendingSendBytes = 64 * 1024 });
        Task<FramedConnectionClosedEventArgs> closed = NextClose(server);
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024 };
        await client.ConnectAsync(server.EndPoint).Guarded();

        // Requests for far more than the kernel's buffers hold, and then no reading at all.
        await client.SendAsync(new byte[4 * 64]).Guarded();

        FramedConnectionClosedEventArgs report = await closed.Guarded();
        Assert.Equal(FramedCloseReason.SendRateTooLow, report.Reason);
        Assert.Contains("FramedServerOptions.MinDataRate", report.Error!.Message, StringComparison.Ordinal);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task SilentConnectionsHoldingEverySlotAreClosedSoARealClientGetsIn(WaitStrategy strategy)
    {
        const int Slots = 16;
        await using LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        await using FramedServer server = await StartAsync(group, new FramedServerOptions { MaxConnections = Slots, IdleTimeout = s_idleForRealClients });
        var silent = new List<Socket>();
        try
        {
            for (int i = 0; i < Slots; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                silent.Add(socket);
                await socket.ConnectAsync(server.EndPoint).Guarded();
            }

            await Eventually.TrueAsync(() => server.ConnectionCount == Slots, "the silent connections take every slot");
            await Eventually.TrueAsync(() => server.ConnectionCount == 0, "the idle timeout frees the slots");

            using FramedClient real = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
            Assert.Equal(new byte[] { 7 }, (await real.RequestAsync(new byte[] { 7 }).Guarded())!.Value.ToArray());
        }
        finally
        {
            silent.ForEach(s => s.Dispose());
        }
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AHandlerThatTakesLongerThanTheTimeoutsDoesNotCloseItsConnection(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using FramedServer server = await FramedServer.StartAsync(
            group,
            async (connection, frame) =>
            {
                // Longer than every timeout in the handler: the server's own time, not the peer's.
                await connection.Loop.Delay(TimeSpan.FromMilliseconds(1500));
                await connection.SendAsync(frame);
            },
            new FramedServerOptions { IdleTimeout = s_idleForRealClients, FrameTimeout = s_short, HeaderTimeout = s_short, MinDataRateGracePeriod = s_short });
        var closes = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.ConnectionClosed += (_, e) => closes.Enqueue($"{e.Reason}: {e.Error?.Message}");
        using FramedClient client = await FramedClient.ConnectAsync(server.EndPoint).Guarded();

        ReadOnlyMemory<byte>? reply = await client.RequestAsync(new byte[] { 1, 2 }).Guarded();
        Assert.True(reply is not null, "closed: " + string.Join("; ", closes));
        Assert.Equal(new byte[] { 1, 2 }, reply.Value.ToArray());
    }

    [LinuxSocketsFact]
    public void TimeoutOptionsOutOfRangeAreRejectedByName()
    {
        using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block);

        foreach ((string name, Action<FramedServerOptions> spoil) in new (string, Action<FramedServerOptions>)[]
        {
            ("IdleTimeout", o => o.IdleTimeout = TimeSpan.Zero),
            ("HeaderTimeout", o => o.HeaderTimeout = TimeSpan.FromSeconds(-1)),
            ("FrameTimeout", o => o.FrameTimeout = TimeSpan.Zero),
            ("MinDataRate", o => o.MinDataRate = double.NaN),
            ("MinDataRateGracePeriod", o => o.MinDataRateGracePeriod = TimeSpan.FromTicks(-1)),
            ("LargeFrameMemoryBudget", o => o.LargeFrameMemoryBudget = 0),
            ("ReceiveBufferSize", o => o.ReceiveBufferSize = 3),
        })
        {
            var options = new FramedServerOptions();
            spoil(options);
            ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(
                () => FramedServer.StartAsync(group, (c, f) => ValueTask.CompletedTask, options).GetAwaiter().GetResult());
            Assert.Equal(name, error.ParamName);
        }
    }

    private static Task<FramedServer> StartAsync(LoopGroup group, FramedServerOptions options)
        => FramedServer.StartAsync(group, (connection, frame) => connection.SendAsync(frame), options);

    private static Task<FramedConnectionClosedEventArgs> NextClose(FramedServer server)
    {
        var closed = new TaskCompletionSource<FramedConnectionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ConnectionClosed += (_, e) => closed.TrySetResult(e);
        return closed.Task;
    }

    private static byte[] Header(int length, int extra)
    {
        byte[] bytes = new byte[4 + extra];
        BinaryPrimitives.WriteInt32BigEndian(bytes, length);
        return bytes;
    }
}
