using System.Net;
using System.Net.Sockets;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class LoopSocketTests
{
    private static readonly IPEndPoint s_anyLoopbackPort = new(IPAddress.Loopback, 0);

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ALoopEchoesBytesReceivedOnASocketItAccepted(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        Loop loop = group[0];
        await using LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);

        Task<int> server = loop.RunAsync(async () =>
        {
            using LoopSocket socket = await listener.AcceptAsync();
            Assert.Same(loop, socket.Loop);
            byte[] buffer = new byte[4096];
            int total = 0;
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer);
                Assert.Same(loop, Loop.Current);
                if (n == 0)
                {
                    break;
                }

                total += n;
                await socket.SendAsync(buffer.AsMemory(0, n));
            }

            return total;
        });

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint).Guarded();
        byte[] payload = new byte[256 * 1024];
        new Random(5).NextBytes(payload);
        Task send = Task.Run(async () =>
        {
            for (int offset = 0; offset < payload.Length; offset += 1000)
            {
                await client.SendAsync(payload.AsMemory(offset, Math.Min(1000, payload.Length - offset)));
            }

            client.Shutdown(SocketShutdown.Send);
        });

        byte[] echoed = new byte[payload.Length];
        int received = 0;
        while (received < echoed.Length)
        {
            int n = await client.ReceiveAsync(echoed.AsMemory(received)).Guarded();
            Assert.NotEqual(0, n);
            received += n;
        }

        await send.Guarded();
        Assert.Equal(payload.Length, await server.Guarded());
        Assert.Equal(payload, echoed);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AcceptingOnOneLoopGivesConnectionsToTheLoopsInTurnAndTheyAreServedThere(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        await using LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort, new LoopListenerOptions { AcceptOnEveryLoop = false });
        Assert.False(listener.AcceptsOnEveryLoop);
        var clients = new List<Socket>();
        var owners = new List<int>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                await client.ConnectAsync(listener.LocalEndPoint).Guarded();

                // Accepted from a thread-pool thread: the accept itself runs on the listener's loop.
                LoopSocket accepted = await listener.AcceptAsync().Guarded();
                owners.Add(accepted.Loop.Index);
                Assert.Equal(client.LocalEndPoint, accepted.RemoteEndPoint);
                int where = await accepted.Loop.RunAsync(async () =>
                {
                    using LoopSocket socket = accepted;
                    await socket.SendAsync(new byte[] { (byte)Loop.Current!.Index });
                    return Loop.Current!.Index;
                }).Guarded();
                Assert.Equal(accepted.Loop.Index, where);
                byte[] answer = new byte[1];
                Assert.Equal(1, await client.ReceiveAsync(answer).Guarded());
                Assert.Equal(where, answer[0]);
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        Assert.Equal(new[] { 0, 1, 0, 1 }, owners);
        Assert.Equal(new long[] { 4, 0 }, listener.AcceptedPerLoop());
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ASocketConnectedFromOneLoopTalksToAConnectionAcceptedOnAnother(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        await using LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        Task<string> server = group[0].RunAsync(async () =>
        {
            LoopSocket accepted = await listener.AcceptAsync();
            return await accepted.Loop.RunAsync(async () =>
            {
                using LoopSocket socket = accepted;
                byte[] buffer = new byte[64];
                int n = await socket.ReceiveAsync(buffer);
                await socket.SendAsync(buffer.AsMemory(0, n));
                socket.Shutdown(SocketShutdown.Send);
                return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
            });
        });

        byte[] reply = await group[1].RunAsync(async () =>
        {
            using LoopSocket socket = await LoopSocket.ConnectAsync(listener.LocalEndPoint);
            Assert.Same(group[1], socket.Loop);
            Assert.True(socket.NoDelay);
            Assert.Equal(listener.LocalEndPoint, socket.RemoteEndPoint);
            Assert.NotNull(socket.LocalEndPoint);
            await socket.SendAsync("ping"u8.ToArray());
            var received = new MemoryStream();
            byte[] buffer = new byte[64];
            int n;
            while ((n = await socket.ReceiveAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, n);
            }

            return received.ToArray();
        }).Guarded();

        Assert.Equal("ping", await server.Guarded());
        Assert.Equal("ping"u8.ToArray(), reply);
    }

    [LinuxSocketsFact]
    public async Task ConnectingWhereNobodyListensFailsWithConnectionRefused()
    {
        await using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block);
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(s_anyLoopbackPort);
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        SocketException error = await Assert.ThrowsAsync<SocketException>(() => group[0].RunAsync(async () =>
        {
            using LoopSocket socket = await LoopSocket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        })).Guarded();

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [LinuxSocketsFact]
    public async Task ASocketUsedOffItsLoopOrConnectedOffAnyLoopSaysWhichLoopOwnsIt()
    {
        await using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block);
        await using LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint).Guarded();
        LoopSocket accepted = await listener.AcceptAsync().Guarded();

        InvalidOperationException offLoop = Assert.Throws<InvalidOperationException>(() => accepted.TryReceive(new byte[8], out _));
        InvalidOperationException noLoop = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LoopSocket.ConnectAsync(listener.LocalEndPoint).AsTask()).Guarded();

        Assert.Contains("loop 0", offLoop.Message, StringComparison.Ordinal);
        Assert.Contains("loop thread", noLoop.Message, StringComparison.Ordinal);
        accepted.Dispose();
        await Eventually.TrueAsync(() => accepted.IsClosed, "a dispose from another thread closes the socket on its loop");
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ACancelledReceiveEndsWithCancellationAndTheSocketStaysUsable(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint).Guarded();
        using var cancel = new CancellationTokenSource();
        int waiting = 0;

        Task<string> server = group[0].RunAsync(async () =>
        {
            using LoopSocket socket = await listener.AcceptAsync();
            byte[] buffer = new byte[16];
            Volatile.Write(ref waiting, 1);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => socket.ReceiveAsync(buffer, cancel.Token).AsTask());
            Volatile.Write(ref waiting, 2);
            int n = await socket.ReceiveAsync(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        });
        await Eventually.TrueAsync(() => Volatile.Read(ref waiting) == 1, "the receive waits");

        await cancel.CancelAsync();
        await Eventually.TrueAsync(() => Volatile.Read(ref waiting) == 2, "the receive ends with cancellation");
        await client.SendAsync("after"u8.ToArray()).Guarded();

        Assert.Equal("after", await server.Guarded());
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ALoopThatOwnsSocketsStillRunsPostedWorkAndTimers(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        Loop loop = group[0];
        LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        Task accepting = loop.RunAsync(async () => await listener.AcceptAsync());

        for (int round = 0; round < 50; round++)
        {
            // Posted from a thread-pool thread: a loop asleep in epoll_wait must be woken through its eventfd.
            int value = await Task.Run(() => loop.RunAsync(() => ValueTask.FromResult(round))).Guarded();
            Assert.Equal(round, value);
            await loop.RunAsync(async () => await loop.Delay(TimeSpan.FromMilliseconds(1))).Guarded();
        }

        await listener.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => accepting).Guarded();
        if (strategy == WaitStrategy.Block)
        {
            Assert.True(group.GetStatistics()[0].Sleeps > 0, "a blocking loop slept between the rounds");
        }
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnAcceptWaitEndsWhenAClientConnectsToASleepingLoop(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        int waiting = 0;
        Task<IPEndPoint?> accepted = group[0].RunAsync(async () =>
        {
            Volatile.Write(ref waiting, 1);
            using LoopSocket socket = await listener.AcceptAsync();
            return socket.RemoteEndPoint;
        });

        await Eventually.TrueAsync(() => Volatile.Read(ref waiting) == 1, "the loop waits to accept");
        await Task.Delay(20);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint).Guarded();

        Assert.Equal(client.LocalEndPoint, await accepted.Guarded());
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task StoppingTheGroupEndsACoroutineWaitingOnAnIdleListener(WaitStrategy strategy)
    {
        LoopGroup group = TestRig.CreateGroup(strategy);
        LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        int waiting = 0;
        Task accept = group[0].RunAsync(async () =>
        {
            Volatile.Write(ref waiting, 1);
            await listener.AcceptAsync();
        });
        await Eventually.TrueAsync(() => Volatile.Read(ref waiting) == 1, "the loop waits to accept");
        await Task.Delay(20);

        await group.StopAsync(TimeSpan.FromMilliseconds(50)).Guarded();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accept.Guarded());
        await listener.DisposeAsync();
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AManySegmentSendArrivesWholeAndInOrder(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        var random = new Random(7);
        byte[][] chunks = Enumerable.Range(0, 300).Select(i =>
        {
            byte[] chunk = new byte[i % 5 == 0 ? 0 : random.Next(1, 60_000)];
            random.NextBytes(chunk);
            return chunk;
        }).ToArray();
        chunks[0] = [1, 2, 3];
        byte[] expected = chunks.SelectMany(c => c).ToArray();

        Task server = group[0].RunAsync(async () =>
        {
            using LoopSocket socket = await listener.AcceptAsync();
            await socket.SendAsync(TestSequence.Of(chunks));
            socket.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await socket.ReceiveAsync(new byte[16]));
        });

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint).Guarded();
        var received = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = await client.ReceiveAsync(buffer.AsMemory()).Guarded()) > 0)
        {
            received.Write(buffer, 0, n);
        }

        client.Shutdown(SocketShutdown.Send);
        await server.Guarded();
        Assert.Equal(expected, received.ToArray());
    }

    [LinuxSocketsFact]
    public void ListenerOptionsOutOfRangeAreRejectedByName()
    {
        using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block);

        ArgumentOutOfRangeException backlog = Assert.Throws<ArgumentOutOfRangeException>(
            () => LoopListener.Bind(group, s_anyLoopbackPort, new LoopListenerOptions { Backlog = 0 }));
        ArgumentOutOfRangeException retry = Assert.Throws<ArgumentOutOfRangeException>(
            () => LoopListener.Bind(group, s_anyLoopbackPort, new LoopListenerOptions { AcceptRetryDelay = TimeSpan.FromTicks(-1) }));

        Assert.Equal("Backlog", backlog.ParamName);
        Assert.Equal("AcceptRetryDelay", retry.ParamName);
    }
}
