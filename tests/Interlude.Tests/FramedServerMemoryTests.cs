using System.Buffers.Binary;
using System.Net.Sockets;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class FramedServerMemoryTests
{
    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AHeaderAloneDoesNotMakeTheServerTakeTheFrameItAnnounces(WaitStrategy strategy)
    {
        const int Clients = 10;
        const int Announced = 12 * 1024 * 1024;
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using FramedServer server = await FramedServer.StartAsync(
            group, (connection, frame) => connection.SendAsync(frame), new FramedServerOptions { MaxFrameSize = 16 * 1024 * 1024 });
        using FramedClient good = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
        Assert.NotNull(await good.RequestAsync(new byte[16]).Guarded());
        var attackers = new List<Socket>();
        try
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            byte[] opening = new byte[5];
            BinaryPrimitives.WriteInt32BigEndian(opening, Announced);
            for (int i = 0; i < Clients; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                attackers.Add(socket);
                await socket.ConnectAsync(server.EndPoint).Guarded();
                await socket.SendAsync(opening).Guarded();
            }

            // One loop: the attackers' bytes were ready before this request's, so the loop has read them by the time
            // it answers.
            Assert.NotNull(await good.RequestAsync(new byte[16]).Guarded());
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            Assert.True(
                allocated < Clients * 1024 * 1024,
                $"{Clients} connections that each sent a header and one byte made the process allocate {allocated / (1024 * 1024)} MiB");
            // A 16 KiB block each at most, and perhaps the good client's, which the loop may not have given back yet.
            Assert.InRange(server.BufferBytes, 0, (Clients + 2) * 16 * 1024);
        }
        finally
        {
            attackers.ForEach(s => s.Dispose());
        }
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ALargeFrameGrowsItsBufferWithWhatArrivesAndGivesItBackOnceHandled(WaitStrategy strategy)
    {
        const int FrameSize = 2 * 1024 * 1024;
        const int FirstPart = 100 * 1024;
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using FramedServer server = await FramedServer.StartAsync(
            group, (connection, frame) => connection.SendAsync(frame.Length > 16 ? frame[..16] : frame), new FramedServerOptions { MaxFrameSize = 4 * 1024 * 1024 });
        using FramedClient barrier = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
        using var sender = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await sender.ConnectAsync(server.EndPoint).Guarded();
        byte[] frame = new byte[4 + FrameSize];
        BinaryPrimitives.WriteInt32BigEndian(frame, FrameSize);
        new Random(3).NextBytes(frame.AsSpan(4));

        await sender.SendAsync(frame.AsMemory(0, 4 + FirstPart)).Guarded();
        Assert.NotNull(await barrier.RequestAsync(new byte[8]).Guarded());

        // The barrier's answer does not prove the loop has read the other connection's bytes (the two connections
        // are not ordered: the sender's may not even have been accepted yet), so wait until it has read them all.
        await Eventually.TrueAsync(() => server.BufferBytes >= FirstPart, "the first part of the large frame is read");

        // Doubling from the 16 KiB block: the first 100 KiB fit in 128 KiB, never in the 2 MiB the header announced.
        Assert.InRange(server.BufferBytes, FirstPart, 2 * (FirstPart + 16 * 1024));

        await sender.SendAsync(frame.AsMemory(4 + FirstPart)).Guarded();
        byte[] reply = new byte[4 + 16];
        for (int received = 0; received < reply.Length;)
        {
            received += await sender.ReceiveAsync(reply.AsMemory(received)).Guarded();
        }

        Assert.Equal(frame.AsSpan(4, 16).ToArray(), reply.AsSpan(4).ToArray());
        await Eventually.TrueAsync(() => server.BufferBytes == 0, "the connections give their buffers back once idle");
        Assert.InRange(server.PeakBufferBytes, FrameSize, 2L * FrameSize + (64 * 1024));
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ALargeFrameOverTheBudgetWaitsForTheOneAheadWhileSmallFramesAreServed(WaitStrategy strategy)
    {
        const int Large = 600 * 1024;
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        var handled = new System.Collections.Concurrent.ConcurrentQueue<char>();
        await using FramedServer server = await FramedServer.StartAsync(
            group,
            (connection, frame) =>
            {
                handled.Enqueue((char)frame.Span[0]);
                return connection.SendAsync(frame[..1]);
            },
            new FramedServerOptions { MaxFrameSize = 4 * 1024 * 1024, LargeFrameMemoryBudget = 1024 * 1024 });
        using var first = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var second = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using FramedClient small = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
        await first.ConnectAsync(server.EndPoint).Guarded();
        await second.ConnectAsync(server.EndPoint).Guarded();
        byte[] a = LargeFrame('A', Large);
        byte[] b = LargeFrame('B', Large);

        // A's frame takes the whole budget (600 KiB is a 1 MiB buffer) and stops half way; B's arrives whole and
        // must wait for it.
        await first.SendAsync(a.AsMemory(0, Large / 2)).Guarded();
        Assert.NotNull(await small.RequestAsync("c"u8.ToArray()).Guarded());
        Task<int> sendingB = second.SendAsync(b);
        for (int i = 0; i < 20; i++)
        {
            Assert.NotNull(await small.RequestAsync("c"u8.ToArray()).Guarded());
        }

        Assert.DoesNotContain('B', handled);
        await first.SendAsync(a.AsMemory(Large / 2)).Guarded();
        await ReadOneByteReplyAsync(first);
        await ReadOneByteReplyAsync(second);
        await sendingB.Guarded();

        Assert.Equal("ccccccccccccccccccccc" + "AB", new string(handled.ToArray()));
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task HeadersThatAnnounceLargeFramesHoldNoBudgetFromARealLargeFrame(WaitStrategy strategy)
    {
        const int Large = 600 * 1024;
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        await using FramedServer server = await FramedServer.StartAsync(
            group,
            (connection, frame) => connection.SendAsync(frame[..1]),
            new FramedServerOptions
            {
                MaxFrameSize = 4 * 1024 * 1024,
                LargeFrameMemoryBudget = 1024 * 1024,
                FrameTimeout = Timeout.InfiniteTimeSpan,
                MinDataRate = 0,
            });
        var announcers = new List<Socket>();
        try
        {
            // Headers announcing frames the budget could hold one of at a time, and a byte each, then silence.
            for (int i = 0; i < 8; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                announcers.Add(socket);
                await socket.ConnectAsync(server.EndPoint).Guarded();
                await socket.SendAsync(LargeFrame('x', Large).AsMemory(0, 5)).Guarded();
            }

            using var real = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await real.ConnectAsync(server.EndPoint).Guarded();
            Task<int> sending = real.SendAsync(LargeFrame('R', Large));

            await ReadOneByteReplyAsync(real);
            await sending.Guarded();
        }
        finally
        {
            announcers.ForEach(s => s.Dispose());
        }
    }

    private static byte[] LargeFrame(char tag, int payload)
    {
        byte[] frame = new byte[4 + payload];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload);
        frame[4] = (byte)tag;
        return frame;
    }

    private static async Task ReadOneByteReplyAsync(Socket socket)
    {
        byte[] reply = new byte[5];
        for (int received = 0; received < reply.Length;)
        {
            int n = await socket.ReceiveAsync(reply.AsMemory(received)).Guarded();
            Assert.NotEqual(0, n);
            received += n;
        }
    }
}
