using System.Collections.Concurrent;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Interlude.AspNetCore.Internal;
using Interlude.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
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
            foreach (SslProtocols protocol in new[] { SslProtocols.Tls12, SslProtocols.Tls13 })
            {
                foreach (CertificateKind kind in Enum.GetValues<CertificateKind>())
                {
                    data.Add(offload, protocol, kind);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCombination))]
    public async Task AHandshakeAndARequestSucceedAndTheHandlerRunsOnTheLoop(Offload offload, SslProtocols protocol, CertificateKind kind)
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
        Assert.True(served[1].OnLoop, "a request after the first ran off the connection's loop");
        Assert.Equal(protocol, served[0].Protocol);
        if (offload == Offload.None)
        {
            Assert.Null(served[0].Offload);
        }
        else
        {
            IReadOnlyList<int> steps = served[0].Offload!;
            Assert.True(steps.Count >= 2, $"{steps.Count} handshake steps were offloaded");
            Assert.All(steps, thread => Assert.Equal(engineThread, thread));
            Assert.NotEqual(engineThread, served[1].Thread);
        }
    }

    internal static async Task<int> EngineThreadAsync(Accelerator engine)
        => await engine.SubmitAsync(static _ => Environment.CurrentManagedThreadId, 0).Guarded();

    internal static Task<TestServer> StartAsync(
        Offload offload, Accelerator engine, Probe probe, Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> listen, ILoggerProviderHolder? log = null)
        => TestServer.StartAsync(
            TransportKind.Interlude,
            configure: options =>
            {
                TestServer.Loops(WaitStrategy.Block)(options);
                if (offload != Offload.None)
                {
                    options.OffloadTlsHandshakes(engine, (TlsHandshakeOffloadMode)(offload - 1));
                }
            },
            map: app => app.MapGet("/tls", (HttpContext context) =>
            {
                probe.Served.Enqueue(new Served(
                    context.Connection.Id,
                    Environment.CurrentManagedThreadId,
                    Thread.CurrentThread.Name + " " + Environment.StackTrace,
                    Loop.Current is not null,
                    context.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>()?.Protocol ?? SslProtocols.None,
                    context.Features.Get<ITlsHandshakeOffloadFeature>()?.StepThreadIds));
                return "ok";
            }),
            log: log?.Provider,
            listen: listen);

    /// <summary>What the server saw.</summary>
    internal sealed class Probe
    {
        public ConcurrentQueue<Served> Served { get; } = new();
    }

    internal sealed record Served(string ConnectionId, int Thread, string? ThreadName, bool OnLoop, SslProtocols Protocol, IReadOnlyList<int>? Offload);

    internal sealed class ILoggerProviderHolder(Microsoft.Extensions.Logging.ILoggerProvider provider)
    {
        public Microsoft.Extensions.Logging.ILoggerProvider Provider => provider;
    }
}

/// <summary>Where a handshake's steps run: on the loop (no offload) or on the engine, in one of its modes.</summary>
public enum Offload
{
    None,
    Async,
    Block,
    Spin,
}
