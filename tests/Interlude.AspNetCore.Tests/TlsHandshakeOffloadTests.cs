using System.Collections.Concurrent;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Interlude.AspNetCore.Internal;
using Interlude.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Interlude.AspNetCore.Tests;

/// <summary>
/// TLS handshakes offloaded to an engine: they succeed in every mode, their crypto runs on the engine's thread
/// (seen independently of the transport, from Kestrel's certificate selector, which runs inside the ClientHello's
/// processing), the application stays on its loop, and the engine's failures, saturation and shutdown cost no
/// more than the connections concerned.
/// </summary>
public sealed class TlsHandshakeOffloadTests
{
    public static TheoryData<Offload, SslProtocols, CertificateKind> EveryCombination()
    {
        var data = new TheoryData<Offload, SslProtocols, CertificateKind>();
        foreach (Offload offload in Enum.GetValues<Offload>())
        {
            foreach (SslProtocols protocol in s_protocols)
            {
                foreach (CertificateKind kind in Enum.GetValues<CertificateKind>())
                {
                    data.Add(offload, protocol, kind);
                }
            }
        }

        return data;
    }

    public static TheoryData<Offload, SslProtocols> ModesAndProtocols()
    {
        var data = new TheoryData<Offload, SslProtocols>();
        foreach (Offload offload in Enum.GetValues<Offload>())
        {
            foreach (SslProtocols protocol in s_protocols)
            {
                data.Add(offload, protocol);
            }
        }

        return data;
    }

    private static readonly SslProtocols[] s_protocols = [SslProtocols.Tls12, SslProtocols.Tls13];

    // The server's first read of a connection is issued by Kestrel on a ThreadPool thread; a ClientHello that is
    // already there may be delivered before that thread has returned from the read, and SslStream's first step
    // then goes on there (see network.md). A client that says hello a little after connecting leaves it time.
    private static readonly TimeSpan s_helloDelay = TimeSpan.FromMilliseconds(30);

    [Theory]
    [MemberData(nameof(EveryCombination))]
    public async Task AHandshakeAndRequestsSucceedWithAnOrdinaryUseHttpsAndTheHandlerRunsOnTheLoop(Offload offload, SslProtocols protocol, CertificateKind kind)
    {
        using var engine = new CpuAccelerator(new CpuAcceleratorOptions { Threads = 1 });
        int engineThread = await EngineThreadAsync(engine);
        var probe = new Probe();
        X509Certificate2 certificate = TestCertificates.For(kind);
        await using TestServer server = await StartAsync(offload, engine, probe, listen => listen.UseHttps(certificate));
        using HttpClient client = TlsClient.Create(server.Address, protocol);

        Assert.Equal("ok", await client.GetStringAsync(new Uri("/tls", UriKind.Relative)).Guarded());
        Assert.Equal("ok", await client.GetStringAsync(new Uri("/tls", UriKind.Relative)).Guarded());

        Served[] served = [.. probe.Served];
        Assert.Equal(2, served.Length);
        Assert.Equal(served[0].ConnectionId, served[1].ConnectionId);
        Assert.Equal(protocol, served[0].Protocol);
        Assert.True(served[1].OnLoop, "a request after the first ran off the connection's loop");
        if (offload == Offload.None)
        {
            // Without offload, the first request of a TLS 1.3 connection may be served wherever SslStream finished
            // the handshake (see network.md): only what follows it is promised to the loop.
            Assert.Null(served[0].Deliveries);
            return;
        }

        Assert.True(served[0].OnLoop, "the first request ran off the connection's loop");
        Assert.Equal(served[0].Thread, served[1].Thread);
        IReadOnlyList<TlsHandshakeDelivery> deliveries = served[0].Deliveries!;
        if (offload == Offload.OnLoop)
        {
            // Every handshake read was delivered on the connection's own loop, where its requests ran.
            Assert.All(deliveries, d => Assert.Equal(served[0].Thread, d.ThreadId));
            Assert.Contains(deliveries, d => d.Offset == 0);
            Assert.Contains(deliveries, d => d.Offset > 0);
            return;
        }

        Assert.All(deliveries, d => Assert.Equal(engineThread, d.ThreadId));
        Assert.Contains(deliveries, d => d.Offset == 0);
        Assert.Contains(deliveries, d => d.Offset > 0);
        Assert.NotEqual(engineThread, served[0].Thread);
    }

    [Theory]
    [MemberData(nameof(ModesAndProtocols))]
    public async Task TheCertificateSelectorRunsInsideTheClientHelloStepWhereTheModeSays(Offload offload, SslProtocols protocol)
    {
        using var engine = new CpuAccelerator(new CpuAcceleratorOptions { Threads = 1 });
        int engineThread = await EngineThreadAsync(engine);
        var probe = new Probe();
        await using TestServer server = await StartAsync(offload, engine, probe, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificateSelector = (connection, _) =>
            {
                probe.Selected[connection!.ConnectionId] = new Selection(Environment.CurrentManagedThreadId, Loop.Current is not null);
                return TestCertificates.Rsa;
            },
        }));
        using HttpClient client = TlsClient.Create(server.Address, protocol, helloDelay: s_helloDelay);

        Assert.Equal("ok", await client.GetStringAsync(new Uri("/tls", UriKind.Relative)).Guarded());
        Assert.Equal("ok", await client.GetStringAsync(new Uri("/tls", UriKind.Relative)).Guarded());

        Served served = probe.Served.Last();
        Assert.True(served.OnLoop);
        Selection selection = Assert.Single(probe.Selected).Value;
        if (offload == Offload.None)
        {
            // Not on the engine, of course; and not on the loop either: SslStream resumes its handshake steps on
            // the ThreadPool, because the loop's SynchronizationContext stops the Task machinery from running a
            // ConfigureAwait(false) continuation inline there (see network.md).
            Assert.NotEqual(engineThread, selection.Thread);
            Assert.NotEqual(served.Thread, selection.Thread);
            Assert.False(selection.OnLoop, "the selector ran on a loop");
            return;
        }

        if (offload == Offload.OnLoop)
        {
            // The ClientHello step, and every later one, ran on the connection's loop.
            Assert.True(selection.OnLoop, "the selector ran off the loops");
            Assert.Equal(served.Thread, selection.Thread);
            Assert.All(probe.Served.First().Deliveries!, d => Assert.Equal(served.Thread, d.ThreadId));
            return;
        }

        Assert.Equal(engineThread, selection.Thread);
        Assert.False(selection.OnLoop, "the selector ran on a loop");
        Assert.NotEqual(served.Thread, selection.Thread);

        // Every handshake read was delivered on the engine, the client's second flight included: for TLS 1.2 the
        // key exchange's derivation, for TLS 1.3 its Finished.
        IReadOnlyList<TlsHandshakeDelivery> deliveries = probe.Served.First().Deliveries!;
        Assert.All(deliveries, d => Assert.Equal(engineThread, d.ThreadId));
        Assert.Contains(deliveries, d => d.Offset > 0);
    }

    [Theory]
    [InlineData(Offload.Async)]
    [InlineData(Offload.Block)]
    [InlineData(Offload.Spin)]
    [InlineData(Offload.OnLoop)]
    public async Task AnHttp2ClientNegotiatesItThroughAnOffloadedHandshake(Offload offload)
    {
        using var engine = new CpuAccelerator(new CpuAcceleratorOptions { Threads = 1 });
        var probe = new Probe();
        await using TestServer server = await StartAsync(offload, engine, probe, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(TestCertificates.Ecdsa);
        });
        using HttpClient client = TlsClient.Create(server.Address, SslProtocols.Tls13);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/tls", UriKind.Relative))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using HttpResponseMessage response = await client.SendAsync(request).Guarded();

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());

        // Kestrel runs each HTTP/2 stream on the ThreadPool, on any transport: only the connection is the loop's.
        Assert.Single(probe.Served);
    }

    [Theory]
    [InlineData(Offload.Async)]
    [InlineData(Offload.Block)]
    [InlineData(Offload.Spin)]
    public async Task WhileTheEngineHoldsAStepTheLoopServesOthersOnlyInAsyncMode(Offload offload)
    {
        // One loop, and an engine that takes 400 ms over each step: while it holds the ClientHello step, work
        // posted to the loop runs at once in Async mode, and only after the step in Block and Spin.
        await using var group = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false, StallThreshold = TimeSpan.Zero });
        using var engine = new TestEngine(delay: TimeSpan.FromMilliseconds(400));
        var probe = new Probe();
        await using TestServer server = await StartAsync(offload, engine, probe, listen => listen.UseHttps(TestCertificates.Ecdsa), loopGroup: group);
        using HttpClient client = TlsClient.Create(server.Address, SslProtocols.Tls13);
        Task<string> request = client.GetStringAsync(new Uri("/tls", UriKind.Relative));
        await WaitUntil(() => engine.Taken > 0);

        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        await group[0].RunAsync(() => ValueTask.CompletedTask).Guarded();
        TimeSpan waited = System.Diagnostics.Stopwatch.GetElapsedTime(start);

        Assert.Equal("ok", await request.Guarded());
        if (offload == Offload.Async)
        {
            Assert.True(waited < TimeSpan.FromMilliseconds(200), $"the loop was held for {waited.TotalMilliseconds:F0} ms");
        }
        else
        {
            Assert.True(waited >= TimeSpan.FromMilliseconds(200), $"the loop ran other work after {waited.TotalMilliseconds:F0} ms");
        }
    }

    [Theory]
    [InlineData(Offload.Async)]
    [InlineData(Offload.Block)]
    [InlineData(Offload.Spin)]
    public async Task AnEngineErrorFailsOnlyThatConnectionAndIsLoggedOnce(Offload offload)
    {
        // The engine fails its first operation: the first connection's ClientHello step.
        using var engine = new TestEngine(failure: n => n == 1 ? new AcceleratorException("injected failure") : null);
        var log = new CapturedLog("Interlude.AspNetCore");
        var probe = new Probe();
        await using TestServer server = await StartAsync(offload, engine, probe, listen => listen.UseHttps(TestCertificates.Rsa), log);

        using (HttpClient failing = TlsClient.Create(server.Address, SslProtocols.Tls13))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => failing.GetStringAsync(new Uri("/tls", UriKind.Relative)).Guarded());
        }

        for (int i = 0; i < 3; i++)
        {
            using HttpClient client = TlsClient.Create(server.Address, i % 2 == 0 ? SslProtocols.Tls12 : SslProtocols.Tls13);
            Assert.Equal("ok", await client.GetStringAsync(new Uri("/tls", UriKind.Relative)).Guarded());
        }

        var failures = log.Entries.Where(e => e.Event == "TlsHandshakeOffloadFailed").ToList();
        (LogLevel level, _, string message) = Assert.Single(failures);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("test-engine", message, StringComparison.Ordinal);
        Assert.Equal(3, probe.Served.Count);
    }

    [Theory]
    [InlineData(Offload.Async)]
    [InlineData(Offload.Block)]
    [InlineData(Offload.Spin)]
    public async Task ADisposedEngineFailsNewHandshakesOnlyAndPlainRequestsGoOn(Offload offload)
    {
        var engine = new CpuAccelerator(new CpuAcceleratorOptions { Threads = 1 });
        var log = new CapturedLog("Interlude.AspNetCore");
        var probe = new Probe();
        await using TestServer server = await StartAsync(offload, engine, probe, listen => listen.UseHttps(TestCertificates.Rsa), log);
        using HttpClient established = TlsClient.Create(server.Address, SslProtocols.Tls13);
        Assert.Equal("ok", await established.GetStringAsync(new Uri("/tls", UriKind.Relative)).Guarded());

        engine.Dispose();

        using (HttpClient refused = TlsClient.Create(server.Address, SslProtocols.Tls12))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => refused.GetStringAsync(new Uri("/tls", UriKind.Relative)).Guarded());
        }

        // The connection whose handshake was done before keeps being served.
        Assert.Equal("ok", await established.GetStringAsync(new Uri("/tls", UriKind.Relative)).Guarded());
        Assert.Contains(log.Entries, e => e.Event == "TlsHandshakeOffloadFailed" && e.Message.Contains("cpu", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Offload.Async)]
    [InlineData(Offload.Block)]
    [InlineData(Offload.Spin)]
    public async Task ASaturatedEngineWithTwoRingSlotsServesEveryOneOf64ConcurrentHandshakes(Offload offload)
    {
        await using var group = new LoopGroup(new LoopGroupOptions { LoopCount = 2, PinThreads = false, StallThreshold = TimeSpan.Zero });
        using var engine = new TestEngine(delay: TimeSpan.FromMilliseconds(1), ringCapacity: 2);
        var probe = new Probe();
        await using TestServer server = await StartAsync(offload, engine, probe, listen => listen.UseHttps(TestCertificates.Ecdsa), loopGroup: group);

        string[] answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            using HttpClient client = TlsClient.Create(server.Address, i % 2 == 0 ? SslProtocols.Tls12 : SslProtocols.Tls13);
            return await client.GetStringAsync(new Uri("/tls", UriKind.Relative));
        })).Guarded();

        Assert.All(answers, a => Assert.Equal("ok", a));
        Assert.Equal(64, probe.Served.Select(s => s.ConnectionId).Distinct().Count());
        Assert.All(probe.Served, s => Assert.True(s.OnLoop, "a request ran off its connection's loop"));
        if (offload == Offload.Async)
        {
            // More handshake steps were outstanding on a loop than its rings hold: the seam queued them.
            Assert.True(group.GetStatistics().Sum(s => s.BackpressureWaits) > 0, "no submission waited for ring space");
        }

        Assert.Equal(0, group.GetStatistics().Sum(s => s.OffloadsFailed));
    }

    [Theory]
    [InlineData(Offload.Async)]
    [InlineData(Offload.Block)]
    [InlineData(Offload.Spin)]
    public async Task StoppingTheServerWithHandshakesInFlightEndsEveryOne(Offload offload)
    {
        using var engine = new TestEngine(delay: TimeSpan.FromMilliseconds(20));
        var probe = new Probe();
        TestServer server = await StartAsync(offload, engine, probe, listen => listen.UseHttps(TestCertificates.Rsa));
        Task[] clients = StartClients(server, 16);
        await WaitUntil(() => engine.Taken > 0);

        await server.DisposeAsync();

        await Task.WhenAll(clients.Select(c => c.ContinueWith(static _ => { }, TaskScheduler.Default))).Guarded();
    }

    [Theory]
    [InlineData(Offload.Async)]
    [InlineData(Offload.Block)]
    [InlineData(Offload.Spin)]
    public async Task DisposingTheEngineWithHandshakesInFlightFailsThemWithoutHangingTheLoops(Offload offload)
    {
        var engine = new TestEngine(delay: TimeSpan.FromMilliseconds(20));
        var log = new CapturedLog("Interlude.AspNetCore");
        var probe = new Probe();
        await using TestServer server = await StartAsync(offload, engine, probe, listen => listen.UseHttps(TestCertificates.Rsa), log);
        Task[] clients = StartClients(server, 16);
        await WaitUntil(() => engine.Taken > 0);

        await Task.Run(engine.Dispose).Guarded();

        await Task.WhenAll(clients.Select(c => c.ContinueWith(static _ => { }, TaskScheduler.Default))).Guarded();
        Assert.Contains(clients, c => c.IsFaulted);
        Assert.Contains(log.Entries, e => e.Event == "TlsHandshakeOffloadFailed");
    }

    [Fact]
    public async Task APlainEndpointIsUnaffectedByTheOption()
    {
        using var engine = new CpuAccelerator(new CpuAcceleratorOptions { Threads = 1 });
        var probe = new Probe();
        await using TestServer server = await StartAsync(Offload.Async, engine, probe, listen => { });
        using HttpClient client = server.CreateClient();

        Assert.Equal("loop", await client.GetStringAsync(new Uri("/where", UriKind.Relative)).Guarded());
        Assert.Equal("ok", await client.GetStringAsync(new Uri("/tls", UriKind.Relative)).Guarded());

        Served served = Assert.Single(probe.Served);
        Assert.True(served.OnLoop);
        Assert.Equal(SslProtocols.None, served.Protocol);
        Assert.Empty(served.Deliveries!);
    }

    [Fact]
    public void TheOptionNeedsAnEngineAndADefinedMode()
    {
        var options = new InterludeTransportOptions();
        Assert.Throws<ArgumentNullException>(() => options.OffloadTlsHandshakes(null!));

        using var engine = new CpuAccelerator(new CpuAcceleratorOptions { Threads = 1 });
        Assert.Same(options, options.OffloadTlsHandshakes(engine, TlsHandshakeOffloadMode.Spin));
        Assert.Same(engine, options.TlsHandshakeEngine);
        Assert.Equal(TlsHandshakeOffloadMode.Spin, options.TlsHandshakeMode);

        options.TlsHandshakeMode = (TlsHandshakeOffloadMode)7;
        Assert.Throws<ArgumentOutOfRangeException>(() => new InterludeTransportFactory(
            Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));

        // On the loop or on an engine, not both: the message names both options.
        options.TlsHandshakeMode = TlsHandshakeOffloadMode.Async;
        Assert.Same(options, options.RunTlsHandshakesOnLoop());
        ArgumentException both = Assert.Throws<ArgumentException>(() => new InterludeTransportFactory(
            Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.Contains(nameof(InterludeTransportOptions.TlsHandshakesOnLoop), both.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(InterludeTransportOptions.TlsHandshakeEngine), both.Message, StringComparison.Ordinal);
    }

    internal static async Task<int> EngineThreadAsync(Accelerator engine)
        => await engine.SubmitAsync(static _ => Environment.CurrentManagedThreadId, 0).Guarded();

    internal static Task<TestServer> StartAsync(
        Offload offload,
        Accelerator engine,
        Probe probe,
        Action<ListenOptions> listen,
        ILoggerProvider? log = null,
        LoopGroup? loopGroup = null)
        => TestServer.StartAsync(
            TransportKind.Interlude,
            configure: options =>
            {
                TestServer.Loops(WaitStrategy.Block)(options);
                options.LoopGroup = loopGroup;
                if (offload == Offload.OnLoop)
                {
                    options.RunTlsHandshakesOnLoop();
                }
                else if (offload != Offload.None)
                {
                    options.OffloadTlsHandshakes(engine, (TlsHandshakeOffloadMode)(offload - 1));
                }
            },
            map: app => app.MapGet("/tls", (HttpContext context) =>
            {
                probe.Served.Enqueue(new Served(
                    context.Connection.Id,
                    Environment.CurrentManagedThreadId,
                    Loop.Current is not null,
                    context.Features.Get<ITlsHandshakeFeature>()?.Protocol ?? SslProtocols.None,
                    context.Features.Get<ITlsHandshakeOffloadFeature>()?.Deliveries));
                return "ok";
            }),
            log: log,
            listen: listen);

    private static Task[] StartClients(TestServer server, int count)
        => [.. Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            using HttpClient client = TlsClient.Create(server.Address, i % 2 == 0 ? SslProtocols.Tls12 : SslProtocols.Tls13);
            await client.GetStringAsync(new Uri("/tls", UriKind.Relative));
        }))];

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 1200 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        Assert.True(condition(), "the condition never held");
    }

    /// <summary>What the server saw.</summary>
    internal sealed class Probe
    {
        public ConcurrentQueue<Served> Served { get; } = new();

        public ConcurrentDictionary<string, Selection> Selected { get; } = new();
    }

    /// <summary>One request: its connection, the thread and loop it ran on, its TLS version and where its connection's handshake reads were delivered.</summary>
    internal sealed record Served(string ConnectionId, int Thread, bool OnLoop, SslProtocols Protocol, IReadOnlyList<TlsHandshakeDelivery>? Deliveries);

    /// <summary>Where Kestrel's certificate selector ran.</summary>
    internal sealed record Selection(int Thread, bool OnLoop);
}

/// <summary>Where a handshake's steps run: where SslStream continues them, the engine in one of its modes, or the loop.</summary>
public enum Offload
{
    None,
    Async,
    Block,
    Spin,
    OnLoop,
}
