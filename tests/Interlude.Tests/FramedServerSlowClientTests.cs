using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Interlude.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Interlude.Tests;

/// <summary>
/// Many slow and silent connections against one framed server: the timeouts close them all, what they cost the
/// server is bounded by what they sent, and a well-behaved client is served throughout. The count defaults to a
/// size CI runs in a few seconds; <c>INTERLUDE_SLOW_CONNECTIONS=1000</c> runs the full-size check. The test prints
/// its figures either way and asserts none of the times.
/// </summary>
public sealed class FramedServerSlowClientTests
{
    private const int BaseBuffer = 16 * 1024;
    private const int MaxRequests = 1 << 20;

    private readonly ITestOutputHelper _output;

    public FramedServerSlowClientTests(ITestOutputHelper output) => _output = output;

    [LinuxSocketsFact]
    public async Task SlowAndSilentConnectionsAreClosedWhileAWellBehavedClientIsServed()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("INTERLUDE_SLOW_CONNECTIONS"), CultureInfo.InvariantCulture, out int n) ? n : 200;
        int silentCount = count / 2;
        int slowCount = count - silentCount;
        await using LoopGroup group = TestRig.CreateGroup(WaitStrategy.Block, loops: 2);
        var reasons = new ConcurrentDictionary<FramedCloseReason, int>();

        // When the server's handler saw each of the good client's requests and had written its reply, to tell the
        // server's delays from the test process's own (the client shares this process and its thread pool).
        long[] seen = new long[MaxRequests];
        long[] written = new long[MaxRequests];
        await using FramedServer server = await FramedServer.StartAsync(
            group,
            (connection, frame) =>
            {
                long request = BinaryPrimitives.ReadInt64BigEndian(frame.Span);
                if (request < MaxRequests)
                {
                    Volatile.Write(ref seen[request], Stopwatch.GetTimestamp());
                }

                ValueTask sending = connection.SendAsync(frame);
                if (request < MaxRequests)
                {
                    Volatile.Write(ref written[request], Stopwatch.GetTimestamp());
                }

                return sending;
            },
            new FramedServerOptions
            {
                IdleTimeout = TimeSpan.FromSeconds(1),
                MinDataRateGracePeriod = TimeSpan.FromSeconds(1),
                Backlog = Math.Max(512, count),
                MaxConnections = count + 16,
            });
        // The well-behaved client's own connection is not one of the counted ones: once the others are closed it goes
        // quiet too, and on a starved machine the idle timeout may reach it before the test's last request.
        System.Net.IPEndPoint? goodEndPoint = null;
        server.ConnectionClosed += (_, e) =>
        {
            if (!IsSame(e.RemoteEndPoint, Volatile.Read(ref goodEndPoint)))
            {
                reasons.AddOrUpdate(e.Reason, 1, (_, c) => c + 1);
            }
        };
        long workingSetBefore = Environment.WorkingSet;
        var started = Stopwatch.StartNew();
        using FramedClient good = await FramedClient.ConnectAsync(server.EndPoint).Guarded();
        Volatile.Write(ref goodEndPoint, good.LocalEndPoint);
        Assert.NotNull(await good.RequestAsync(new byte[64]).Guarded());

        // The well-behaved client keeps asking from before the others connect until they have all been closed.
        Task<List<(long Sent, long Received)>> serving = Task.Run(() => ServeUntilAsync(good, () => Closed(reasons) >= count));
        var silent = new List<Socket>();
        var slow = new List<Socket>();
        using var stop = new CancellationTokenSource();
        try
        {
            // Each slow connection announces a 1 MiB frame as soon as it is connected, and then sends one byte every
            // 200 ms: 5 bytes a second.
            byte[] header = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(header, 1024 * 1024);
            for (int i = 0; i < count; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(server.EndPoint).Guarded();
                if (i % 2 == 0)
                {
                    silent.Add(socket);
                }
                else
                {
                    slow.Add(socket);
                    await socket.SendAsync(header).Guarded();
                }
            }

            TimeSpan connected = started.Elapsed;
            Task trickle = TrickleAsync(slow, stop.Token);
            List<(long Sent, long Received)> exchanges = await serving.Guarded();
            TimeSpan allClosed = started.Elapsed;
            Assert.Equal(new byte[64], (await good.RequestAsync(new byte[64]).Guarded())!.Value.ToArray());
            await stop.CancelAsync();
            await trickle.Guarded();

            long peak = server.PeakBufferBytes;
            double[] roundTrips = exchanges.Select(e => Milliseconds(e.Received - e.Sent)).Order().ToArray();
            double serverSaw = exchanges.Select((e, i) => Milliseconds(Volatile.Read(ref seen[i + 1]) - e.Sent)).Max();
            double serverWrote = exchanges.Select((e, i) => Milliseconds(Volatile.Read(ref written[i + 1]) - e.Sent)).Max();
            _output.WriteLine($"{count} connections ({silentCount} silent, {slowCount} sending 5 bytes/s after a header announcing 1 MiB): connected after {connected.TotalSeconds:F2} s, all closed after {allClosed.TotalSeconds:F2} s");
            _output.WriteLine($"closed by: {string.Join(", ", reasons.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}"))}");
            _output.WriteLine($"peak buffer bytes {peak:N0} ({(double)peak / count:N0} per connection); working set change {(Environment.WorkingSet - workingSetBefore) / (1024.0 * 1024):F1} MiB");
            _output.WriteLine(
                $"well-behaved client meanwhile: {roundTrips.Length:N0} requests; the server's handler saw each within {serverSaw:F2} ms of its sending and had written the reply within {serverWrote:F2} ms; round trip seen by the client (this process's scheduling included) p50 {Percentile(roundTrips, 0.5):F2} ms, p99 {Percentile(roundTrips, 0.99):F2} ms, max {roundTrips[^1]:F2} ms");

            Assert.Equal(silentCount, reasons.GetValueOrDefault(FramedCloseReason.IdleTimeout));
            Assert.Equal(slowCount, reasons.GetValueOrDefault(FramedCloseReason.ReceiveRateTooLow));
            Assert.NotEmpty(roundTrips);

            // A slow connection holds one base block for its few bytes, never the 1 MiB it announced; the silent
            // ones hold nothing, and the good client a block and a small send buffer.
            Assert.InRange(peak, 0, ((slowCount + 2) * (long)BaseBuffer) + (64 * 1024));
        }
        finally
        {
            silent.ForEach(s => s.Dispose());
            slow.ForEach(s => s.Dispose());
        }
    }

    private static int Closed(ConcurrentDictionary<FramedCloseReason, int> reasons) => reasons.Values.Sum();

    private static bool IsSame(System.Net.IPEndPoint? a, System.Net.IPEndPoint? b)
        => a is not null && b is not null && a.Port == b.Port && a.Address.MapToIPv6().Equals(b.Address.MapToIPv6());

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Percentile(double[] sorted, double fraction) => sorted[Math.Min(sorted.Length - 1, (int)(fraction * sorted.Length))];

    private static async Task TrickleAsync(List<Socket> sockets, CancellationToken stop)
    {
        var open = new List<Socket>(sockets);
        byte[] one = new byte[1];
        while (!stop.IsCancellationRequested && open.Count > 0)
        {
            await Task.Delay(200);
            for (int i = open.Count - 1; i >= 0; i--)
            {
                try
                {
                    open[i].Send(one);
                }
                catch (SocketException)
                {
                    // Closed by the server.
                    open.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Request after request, one at a time; returns when each was sent and its reply received.</summary>
    private static async Task<List<(long Sent, long Received)>> ServeUntilAsync(FramedClient client, Func<bool> done)
    {
        byte[] request = new byte[64];
        var exchanges = new List<(long, long)>();
        for (long i = 1; !done() && i < MaxRequests; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(request, i);
            long sent = Stopwatch.GetTimestamp();
            ReadOnlyMemory<byte>? reply = await client.RequestAsync(request);
            long received = Stopwatch.GetTimestamp();
            Assert.NotNull(reply);
            Assert.Equal(i, BinaryPrimitives.ReadInt64BigEndian(reply.Value.Span));
            exchanges.Add((sent, received));
            await Task.Delay(1);
        }

        return exchanges;
    }
}
