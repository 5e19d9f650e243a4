using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class FramedServerTests
{
    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task PipelinedFramesAreHandledOneAtATimeInOrderEvenWhenHandlersSuspend(WaitStrategy strategy)
    {
        const int frames = 500;
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        int running = 0;
        int overlaps = 0;
        await using FramedServer server = await FramedServer.StartAsync(group, async (connection, frame) =>
        {
            if (++running > 1)
            {
                overlaps++;
            }

            int n = BinaryPrimitives.ReadInt32BigEndian(frame.Span);
            if (n % 3 == 0)
            {
                await Loop.Yield();
            }
            else if (n % 7 == 0)
            {
                await connection.Loop.Delay(TimeSpan.FromMilliseconds(1));
            }

            byte[] reply = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(reply, n);
            running--;
            await connection.SendAsync(reply);
        });
        using FramedClient client = await FramedClient.ConnectAsync(server.EndPoint).Guarded();

        Task sending = Task.Run(async () =>
        {
            byte[] frame = new byte[4];
            for (int i = 0; i < frames; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(frame, i);
                await client.SendAsync(frame);
            }
        });
        for (int i = 0; i < frames; i++)
        {
            ReadOnlyMemory<byte>? reply = await client.ReceiveAsync().Guarded();
            Assert.NotNull(reply);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(reply.Value.Span));
        }

        await sending.Guarded();
        Assert.Equal(0, overlaps);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task RepliesQueuedWhenThePeerStopsSendingAreAllDeliveredBeforeTheClose(WaitStrategy strategy)
    {
        const int Requests = 16;
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        byte[] reply = new byte[512 * 1024];
        await using FramedServer server = await FramedServer.StartAsync(group, (connection, frame) => connection.SendAsync(reply));
        var closed = new TaskCompletionSource<FramedConnectionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ConnectionClosed += (_, e) => closed.TrySetResult(e);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 64 * 1024 };
        await socket.ConnectAsync(server.EndPoint).Guarded();

        // Empty frames asking for 8 MiB of replies in all, more than the kernel buffers hold, then a half-close: the
        // client has said everything and reads the replies slowly.
        await socket.SendAsync(new byte[4 * Requests]).Guarded();
        socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        await Task.Delay(200);
        long received = 0;
        byte[] buffer = new byte[16 * 1024];
        while (true)
        {
            int n = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None).Guarded();
            if (n == 0)
            {
                break;
            }

            received += n;
            if (received % (1024 * 1024) < n)
            {
                await Task.Delay(1);
            }
        }

        Assert.Equal(Requests * (4L + reply.Length), received);
        FramedConnectionClosedEventArgs report = await closed.Task.Guarded();
        Assert.Equal(FramedCloseReason.PeerClosed, report.Reason);
        Assert.Null(report.Error);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AConnectionClosedHandlerThatThrowsIsReportedAndTheServerKeepsServing(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        var faults = new ConcurrentQueue<LoopFaultEventArgs>();
        group.Faulted += (_, fault) => faults.Enqueue(fault);
        await using FramedServer server = await FramedServer.StartAsync(group, (connection, frame) => connection.SendAsync(frame));
        server.ConnectionClosed += (_, _) => throw new InvalidOperationException("handler failure");

        using (FramedClient first = await FramedClient.ConnectAsync(server.EndPoint).Guarded())
        {
            Assert.NotNull(await first.RequestAsync(new byte[] { 1 }).Guarded());
        }

        // Reported as the failed callback it is, not as the connection's coroutine failing: the close itself
        // (returning the connection's buffers) finished.
        await Eventually.TrueAsync(() => !faults.IsEmpty, "the handler's exception is reported");
        LoopFaultEventArgs fault = faults.Single();
        Assert.Equal(FaultSource.WorkItem, fault.Source);
        Assert.Equal("handler failure", Assert.IsType<InvalidOperationException>(fault.Exception).Message);

        using FramedClient second = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
        ReadOnlyMemory<byte>? reply = await second.RequestAsync(new byte[] { 2 }).Guarded();
        Assert.Equal(new byte[] { 2 }, reply!.Value.ToArray());
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task APeerThatResetsWhileAReplyIsPendingIsAnOrdinaryCloseNotAFault(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        var faults = new ConcurrentQueue<LoopFaultEventArgs>();
        group.Faulted += (_, fault) => faults.Enqueue(fault);
        var replying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var replied = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        byte[] reply = new byte[8 * 1024 * 1024];
        await using FramedServer server = await FramedServer.StartAsync(
            group,
            async (connection, frame) =>
            {
                try
                {
                    // More than the kernel's buffers and the server's own limit hold: the send waits for a peer that
                    // never reads, and is still waiting when the peer resets.
                    ValueTask sending = connection.SendAsync(reply);
                    Assert.False(sending.IsCompleted);
                    replying.TrySetResult();
                    await sending;
                    replied.TrySetResult(null);
                }
                catch (Exception ex)
                {
                    replied.TrySetResult(ex);
                    throw;
                }
            },
            new FramedServerOptions { MaxPendingSendBytes = 64 * 1024 });
        var closed = new TaskCompletionSource<FramedConnectionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ConnectionClosed += (_, e) => closed.TrySetResult(e);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024 };
        await socket.ConnectAsync(server.EndPoint).Guarded();

        await socket.SendAsync(new byte[4]).Guarded();
        await replying.Task.Guarded();
        await Eventually.TrueAsync(() => server.ConnectionCount == 1, "the server holds the connection");
        socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        socket.Close();

        FramedConnectionClosedEventArgs report = await closed.Task.Guarded();
        Exception? sendOutcome = await replied.Task.Guarded();
        await Eventually.TrueAsync(() => server.ConnectionCount == 0, "the server lets the connection go");
        Assert.True(faults.IsEmpty, "a peer that went away was reported as a fault: " + string.Join("; ", faults.Select(f => f.Exception.Message)));
        Assert.Null(sendOutcome);
        Assert.Equal(FramedCloseReason.PeerReset, report.Reason);
        Assert.Null(report.Error);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AHandlerThatIsCancelledEndsItsFrameNotItsConnection(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        var faults = new ConcurrentQueue<LoopFaultEventArgs>();
        group.Faulted += (_, fault) => faults.Enqueue(fault);
        await using FramedServer server = await FramedServer.StartAsync(group, (connection, frame) =>
            frame.Span[0] == 0 ? throw new OperationCanceledException("the handler gave up") : connection.SendAsync(frame));
        using FramedClient client = await FramedClient.ConnectAsync(server.EndPoint).Guarded();

        await client.SendAsync(new byte[] { 0 }).Guarded();
        ReadOnlyMemory<byte>? reply = await client.RequestAsync(new byte[] { 9 }).Guarded();

        Assert.Equal(new byte[] { 9 }, reply?.ToArray());
        Assert.Empty(faults);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ConnectionsSpreadOverTheLoopsAndEachKeepsItsOrder(WaitStrategy strategy)
    {
        const int clients = 16;
        const int requests = 100;
        await using LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        var loopsUsed = new ConcurrentDictionary<int, bool>();
        await using FramedServer server = await FramedServer.StartAsync(group, (connection, frame) =>
        {
            loopsUsed[Loop.Current!.Index] = true;
            return connection.SendAsync(frame);
        });

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using FramedClient client = await FramedClient.ConnectAsync(server.EndPoint);
            byte[] frame = new byte[8];
            for (int i = 0; i < requests; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(frame, c);
                BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), i);
                ReadOnlyMemory<byte>? reply = await client.RequestAsync(frame);
                Assert.NotNull(reply);
                Assert.Equal(frame, reply.Value.ToArray());
            }
        }))).Guarded();

        Assert.Equal(new[] { 0, 1 }, loopsUsed.Keys.Order());
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnOversizedFrameClosesOnlyItsConnectionWithAClearError(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        var closed = new TaskCompletionSource<FramedConnectionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using FramedServer server = await FramedServer.StartAsync(
            group, (connection, frame) => connection.SendAsync(frame), new FramedServerOptions { MaxFrameSize = 1000 });
        server.ConnectionClosed += (_, e) =>
        {
            if (e.Error is not null)
            {
                closed.TrySetResult(e);
            }
        };
        using FramedClient good = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
        using FramedClient bad = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
        Assert.NotNull(await good.RequestAsync(new byte[1000]).Guarded());

        await bad.SendAsync(new byte[1001]).Guarded();

        FramedConnectionClosedEventArgs report = await closed.Task.Guarded();
        Assert.Equal(FramedCloseReason.FrameTooLarge, report.Reason);
        InvalidDataException error = Assert.IsType<InvalidDataException>(report.Error);
        Assert.Contains("MaxFrameSize", error.Message, StringComparison.Ordinal);
        Assert.Null(await bad.ReceiveAsync().Guarded());
        Assert.Equal(5, (await good.RequestAsync(new byte[5]).Guarded())?.Length);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AConnectionBeyondTheLimitIsClosedAndTheOthersCarryOn(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        var refused = new TaskCompletionSource<FramedConnectionClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using FramedServer server = await FramedServer.StartAsync(
            group, (connection, frame) => connection.SendAsync(frame), new FramedServerOptions { MaxConnections = 2 });
        server.ConnectionClosed += (_, e) =>
        {
            if (e.Connection is null)
            {
                refused.TrySetResult(e);
            }
        };
        using FramedClient first = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
        using FramedClient second = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
        Assert.NotNull(await first.RequestAsync(new byte[1]).Guarded());
        Assert.NotNull(await second.RequestAsync(new byte[1]).Guarded());

        using (FramedClient third = await FramedClient.ConnectAsync(server.EndPoint).Guarded())
        {
            FramedConnectionClosedEventArgs report = await refused.Task.Guarded();
            Assert.Equal(FramedCloseReason.ConnectionLimit, report.Reason);
            Assert.Contains("MaxConnections", Assert.IsType<InvalidOperationException>(report.Error).Message, StringComparison.Ordinal);
            Assert.Null(await third.ReceiveAsync().Guarded());
        }

        Assert.NotNull(await first.RequestAsync(new byte[1]).Guarded());
        first.Dispose();
        await Eventually.TrueAsync(() => server.ConnectionCount == 1, "the server sees the first client gone");
        using FramedClient fourth = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
        Assert.NotNull(await fourth.RequestAsync(new byte[1]).Guarded());
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task APeerThatDoesNotReadStopsBeingReadAndLosesNothing(WaitStrategy strategy)
    {
        const int requests = 400;
        const int replySize = 32 * 1024;
        const int maxPending = 128 * 1024;
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        int handled = 0;
        FramedConnection? serverSide = null;
        await using FramedServer server = await FramedServer.StartAsync(
            group,
            (connection, frame) =>
            {
                serverSide = connection;
                Volatile.Write(ref handled, handled + 1);
                byte[] reply = new byte[replySize];
                frame.Span.CopyTo(reply);
                return connection.SendAsync(reply);
            },
            new FramedServerOptions { MaxPendingSendBytes = maxPending });
        using FramedClient client = await FramedClient.ConnectAsync(server.EndPoint, maxFrameSize: replySize).Guarded();

        Task sending = Task.Run(async () =>
        {
            byte[] frame = new byte[4];
            for (int i = 0; i < requests; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(frame, i);
                await client.SendAsync(frame);
            }
        });

        // The client reads nothing yet: the server must stop handling requests once its send buffer and the
        // kernel's buffers are full, well before all requests are handled.
        await Eventually.TrueAsync(() => Volatile.Read(ref handled) > 0, "the server handles the first requests");
        int before;
        do
        {
            before = Volatile.Read(ref handled);
            await Task.Delay(100);
        }
        while (Volatile.Read(ref handled) != before);
        Assert.True(before < requests, $"the server handled all {requests} requests without the client reading");

        for (int i = 0; i < requests; i++)
        {
            ReadOnlyMemory<byte>? reply = await client.ReceiveAsync().Guarded();
            Assert.NotNull(reply);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(reply.Value.Span));
        }

        await sending.Guarded();
        int peak = await group[0].RunAsync(() => ValueTask.FromResult(serverSide!.PeakPendingSendBytes)).Guarded();
        Assert.InRange(peak, 1, maxPending + replySize + 4);
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task RequestAndResponseAllocateNothingOnTheLoopInSteadyState(WaitStrategy strategy)
    {
        const int warmup = 2000;
        const int measured = 2000;
        await using LoopGroup group = TestRig.CreateGroup(strategy);
        int handled = 0;
        long allocatedAtStart = 0;
        long allocatedAtEnd = 0;
        await using FramedServer server = await FramedServer.StartAsync(group, (connection, frame) =>
        {
            handled++;
            if (handled == warmup)
            {
                allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (handled == warmup + measured)
            {
                allocatedAtEnd = GC.GetAllocatedBytesForCurrentThread();
            }

            return connection.SendAsync(frame);
        });
        using FramedClient client = await FramedClient.ConnectAsync(server.EndPoint).Guarded();

        byte[] request = new byte[64];
        for (int i = 0; i < warmup + measured; i++)
        {
            Assert.NotNull(await client.RequestAsync(request).Guarded());
        }

        long perRequest = (allocatedAtEnd - allocatedAtStart) / measured;
        Assert.True(perRequest == 0, $"the loop allocated {allocatedAtEnd - allocatedAtStart} bytes over {measured} requests");
    }
}
