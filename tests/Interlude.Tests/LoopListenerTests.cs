using System.Net;
using System.Net.Sockets;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>Accepting on every loop (one SO_REUSEPORT socket per loop) and the listener's life on each of them.</summary>
public sealed class LoopListenerTests
{
    private static readonly IPEndPoint s_anyLoopbackPort = new(IPAddress.Loopback, 0);

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ABurstOfConnectsIsAcceptedOnEveryLoopEachConnectionOnceAndServedWhereAccepted(WaitStrategy strategy)
    {
        const int connects = 64;
        await using LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        await using LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        Assert.True(listener.AcceptsOnEveryLoop);
        Assert.NotEqual(0, listener.LocalEndPoint.Port);

        var clients = new Socket[connects];
        try
        {
            Task[] connecting = new Task[connects];
            for (int i = 0; i < connects; i++)
            {
                clients[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                connecting[i] = clients[i].ConnectAsync(listener.LocalEndPoint);
            }

            await Task.WhenAll(connecting).Guarded();
            var accepted = new List<LoopSocket>();
            for (int i = 0; i < connects; i++)
            {
                accepted.Add(await listener.AcceptAsync().Guarded());
            }

            // Every client accepted exactly once: the remote ends are the clients' own addresses, none twice.
            Assert.Equal(
                clients.Select(c => c.LocalEndPoint!.ToString()).Order(),
                accepted.Select(a => a.RemoteEndPoint!.ToString()).Order());
            long[] perLoop = listener.AcceptedPerLoop();
            Assert.Equal(connects, perLoop.Sum());
            Assert.All(perLoop, n => Assert.True(n > 0, $"every loop accepted some of the burst: {string.Join(", ", perLoop)}"));

            // A connection belongs to the loop whose socket accepted it.
            for (int loop = 0; loop < 2; loop++)
            {
                Assert.Equal(perLoop[loop], accepted.Count(a => a.Loop.Index == loop));
            }

            // Nothing more is waiting to be accepted.
            using var brief = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listener.AcceptAsync(brief.Token).AsTask()).Guarded();
            accepted.ForEach(a => a.Dispose());
        }
        finally
        {
            Array.ForEach(clients, c => c?.Dispose());
        }
    }

    [LinuxSocketsFact]
    public async Task ConnectionsTakenThroughAFramedServerAreServedOnEveryLoop()
    {
        await using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block, loops: 2);
        int[] served = new int[2];
        await using FramedServer server = await FramedServer.StartAsync(
            group,
            async (connection, frame) =>
            {
                Interlocked.Increment(ref served[Loop.Current!.Index]);
                await connection.SendAsync(frame);
            },
            new FramedServerOptions { EndPoint = s_anyLoopbackPort });

        var clients = new List<FramedClient>();
        try
        {
            for (int i = 0; i < 32; i++)
            {
                clients.Add(await FramedClient.ConnectAsync(server.EndPoint).Guarded());
            }

            foreach (FramedClient client in clients)
            {
                ReadOnlyMemory<byte>? reply = await client.RequestAsync(new byte[] { 1, 2, 3 }).Guarded();
                Assert.Equal(new byte[] { 1, 2, 3 }, reply!.Value.ToArray());
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        Assert.Equal(32, served.Sum());
        Assert.All(served, n => Assert.True(n > 0, $"both loops served connections: {string.Join(", ", served)}"));
    }

    [LinuxSocketsTheory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task DisposingStopsListeningOnEveryLoopAndFailsAPendingAccept(WaitStrategy strategy)
    {
        await using LoopGroup group = TestRig.CreateGroup(strategy, loops: 2);
        LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        IPEndPoint endPoint = listener.LocalEndPoint;

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endPoint).Guarded();
        LoopSocket taken = await listener.AcceptAsync().Guarded();
        Assert.Equal(client.LocalEndPoint, taken.RemoteEndPoint);
        Task<LoopSocket> waiting = listener.AcceptAsync().AsTask();
        await Task.Delay(20);
        Assert.False(waiting.IsCompleted);

        await listener.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting).Guarded();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => listener.AcceptAsync().AsTask()).Guarded();
        taken.Dispose();

        // No loop still listens: with one socket left open, some of these connects would land on it.
        for (int i = 0; i < 16; i++)
        {
            using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SocketException refused = await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(endPoint)).Guarded();
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    [LinuxSocketsFact]
    public async Task AConnectionAcceptedButNeverTakenIsClosedWhenTheListenerIsDisposed()
    {
        await using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block, loops: 2);
        LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        using var cancel = new CancellationTokenSource();
        Task accepting = listener.AcceptAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting).Guarded();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint).Guarded();
        await Eventually.TrueAsync(() => listener.AcceptedPerLoop().Sum() == 1, "the loops accept without being asked");

        await listener.DisposeAsync();

        // Closed by the listener, not left open with nobody serving it: the client reads the end of the stream.
        int n;
        try
        {
            n = await client.ReceiveAsync(new byte[8]).Guarded();
        }
        catch (SocketException reset) when (reset.SocketErrorCode == SocketError.ConnectionReset)
        {
            n = 0;
        }

        Assert.Equal(0, n);
    }

    [LinuxSocketsFact]
    public async Task AnAddressAnotherSocketListensOnIsRefusedWithAMessageNamingIt()
    {
        await using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block, loops: 2);
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(s_anyLoopbackPort);
        other.Listen();
        var taken = (IPEndPoint)other.LocalEndPoint!;

        SocketException error = Assert.ThrowsAny<SocketException>(() => LoopListener.Bind(group, taken));

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
        Assert.Contains(taken.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("already in use", error.Message, StringComparison.Ordinal);
    }

    [LinuxSocketsFact]
    public async Task ASecondListenerOnTheSamePortIsRefusedNotSilentlySharingIt()
    {
        // Both would set SO_REUSEPORT: without a check, the kernel would split connections between them.
        await using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block, loops: 2);
        await using LoopListener first = LoopListener.Bind(group, s_anyLoopbackPort);
        Assert.True(first.AcceptsOnEveryLoop);

        SocketException error = Assert.ThrowsAny<SocketException>(() => LoopListener.Bind(group, first.LocalEndPoint));

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
        Assert.Contains(first.LocalEndPoint.ToString(), error.Message, StringComparison.Ordinal);
    }

    [LinuxSocketsFact]
    public async Task ASecondAcceptWhileOneWaitsIsRefused()
    {
        await using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block, loops: 2);
        await using LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        Task<LoopSocket> waiting = listener.AcceptAsync().AsTask();

        await Assert.ThrowsAsync<InvalidOperationException>(() => listener.AcceptAsync().AsTask()).Guarded();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint).Guarded();
        using LoopSocket accepted = await waiting.Guarded();
        Assert.Equal(client.LocalEndPoint, accepted.RemoteEndPoint);
    }

    [LinuxSocketsFact]
    public async Task AGroupOfOneLoopAcceptsOnOneSocket()
    {
        await using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block, loops: 1);
        await using LoopListener listener = LoopListener.Bind(group, s_anyLoopbackPort);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint).Guarded();

        using LoopSocket accepted = await listener.AcceptAsync().Guarded();

        Assert.False(listener.AcceptsOnEveryLoop);
        Assert.Same(group[0], accepted.Loop);
    }
}
