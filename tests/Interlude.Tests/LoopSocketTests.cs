using System.Net;
using System.Net.Sockets;
using Interlude.Sockets;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class LoopSocketTests
{
    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ALoopEchoesBytesReceivedOnASocketItAccepted(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        Loop loop = group[0];
        Socket bound = LoopListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), 16);
        var endPoint = (IPEndPoint)bound.LocalEndPoint!;

        Task<int> server = loop.RunAsync(async () =>
        {
            LoopListener listener = LoopListener.Attach(bound);
            int fd;
            while ((fd = listener.Accept()) < 0)
            {
                await listener.WaitAcceptableAsync();
            }

            LoopSocket socket = LoopSocket.Adopt(fd, noDelay: true);
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

            socket.Close();
            listener.Close();
            return total;
        });

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endPoint).Guarded();
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
    public async Task ALoopThatOwnsSocketsStillRunsPostedWorkAndTimers(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        Loop loop = group[0];
        Socket bound = LoopListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), 16);
        LoopListener listener = await loop.RunAsync(() => ValueTask.FromResult(LoopListener.Attach(bound))).Guarded();

        for (int round = 0; round < 50; round++)
        {
            // Posted from a thread-pool thread: a loop asleep in epoll_wait must be woken through its eventfd.
            int value = await Task.Run(() => loop.RunAsync(() => ValueTask.FromResult(round))).Guarded();
            Assert.Equal(round, value);
            await loop.RunAsync(async () => await loop.Delay(TimeSpan.FromMilliseconds(1))).Guarded();
        }

        await loop.RunAsync(() =>
        {
            listener.Close();
            return ValueTask.CompletedTask;
        }).Guarded();
        if (strategy == WaitStrategy.Block)
        {
            Assert.True(group.GetStatistics()[0].Sleeps > 0, "a blocking loop slept between the rounds");
        }
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnAcceptWaitEndsWhenAClientConnectsToASleepingLoop(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        Loop loop = group[0];
        Socket bound = LoopListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), 16);
        var endPoint = (IPEndPoint)bound.LocalEndPoint!;
        int waiting = 0;
        Task<IPEndPoint?> accepted = loop.RunAsync(async () =>
        {
            LoopListener listener = LoopListener.Attach(bound);
            Assert.Equal(-1, listener.Accept());
            Volatile.Write(ref waiting, 1);
            await listener.WaitAcceptableAsync();
            int fd = listener.Accept();
            Assert.True(fd >= 0);
            LoopSocket socket = LoopSocket.Adopt(fd, noDelay: false);
            IPEndPoint? remote = socket.RemoteEndPoint;
            socket.Close();
            listener.Close();
            return remote;
        });

        await Eventually.TrueAsync(() => Volatile.Read(ref waiting) == 1, "the loop waits to accept");
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endPoint).Guarded();

        IPEndPoint? remote = await accepted.Guarded();
        Assert.Equal(client.LocalEndPoint, remote);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task StoppingTheGroupEndsACoroutineWaitingOnAnIdleSocket(WaitStrategy strategy)
    {
        LoopGroup group = TestRig.CreateGroup(strategy);
        Loop loop = group[0];
        Socket bound = LoopListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), 16);
        int waiting = 0;
        Task accept = loop.RunAsync(async () =>
        {
            LoopListener listener = LoopListener.Attach(bound);
            listener.Accept();
            Volatile.Write(ref waiting, 1);
            await listener.WaitAcceptableAsync();
        });
        await Eventually.TrueAsync(() => Volatile.Read(ref waiting) == 1, "the loop waits to accept");

        await group.StopAsync(TimeSpan.FromMilliseconds(50)).Guarded();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accept.Guarded());
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AManySegmentSendArrivesWholeAndInOrder(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        Loop loop = group[0];
        Socket bound = LoopListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), 16);
        var endPoint = (IPEndPoint)bound.LocalEndPoint!;
        var random = new Random(7);
        byte[][] chunks = Enumerable.Range(0, 300).Select(i =>
        {
            byte[] chunk = new byte[i % 5 == 0 ? 0 : random.Next(1, 60_000)];
            random.NextBytes(chunk);
            return chunk;
        }).ToArray();
        chunks[0] = [1, 2, 3];
        byte[] expected = chunks.SelectMany(c => c).ToArray();

        Task server = loop.RunAsync(async () =>
        {
            LoopListener listener = LoopListener.Attach(bound);
            int fd;
            while ((fd = listener.Accept()) < 0)
            {
                await listener.WaitAcceptableAsync();
            }

            LoopSocket socket = LoopSocket.Adopt(fd, noDelay: true);
            await socket.SendAsync(TestSequence.Of(chunks));
            socket.Shutdown(Native.LinuxSockets.ShutWr);
            Assert.Equal(0, await socket.ReceiveAsync(new byte[16]));
            socket.Close();
            listener.Close();
        });

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endPoint).Guarded();
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
}
