using Interlude.Gateway.Tests.Infrastructure;
using SecureGateway;
using Xunit;

namespace Interlude.Gateway.Tests;

/// <summary>One gateway per test class (starting one per test would cost more than the tests), and a client for it.</summary>
public abstract class GatewayFixture : IAsyncLifetime
{
    private GatewayServer? _server;
    private HttpClient? _client;

    internal GatewayServer Server => _server ?? throw new InvalidOperationException("Not started.");

    internal HttpClient Client => _client ?? throw new InvalidOperationException("Not started.");

    protected abstract GatewayTransport Transport { get; }

    protected abstract GatewayCryptoMode Crypto { get; }

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(Transport, Crypto);
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

public sealed class InlineCryptoOnInterlude : GatewayFixture
{
    protected override GatewayTransport Transport => GatewayTransport.Interlude;

    protected override GatewayCryptoMode Crypto => GatewayCryptoMode.Inline;
}

public sealed class EngineCryptoOnInterlude : GatewayFixture
{
    protected override GatewayTransport Transport => GatewayTransport.Interlude;

    protected override GatewayCryptoMode Crypto => GatewayCryptoMode.Engine;
}

public sealed class EngineCryptoOnSockets : GatewayFixture
{
    protected override GatewayTransport Transport => GatewayTransport.Sockets;

    protected override GatewayCryptoMode Crypto => GatewayCryptoMode.Engine;
}

/// <summary>Crypto inline on Interlude's loops: the suite that needs no engine.</summary>
public sealed class InlineCryptoOnInterludeTests(InlineCryptoOnInterlude fixture) : GatewayHttpTests(fixture), IClassFixture<InlineCryptoOnInterlude>;

/// <summary>The sample as shipped: every crypto call one await on the engine, from Interlude's loops.</summary>
public sealed class EngineCryptoOnInterludeTests(EngineCryptoOnInterlude fixture) : GatewayHttpTests(fixture), IClassFixture<EngineCryptoOnInterlude>;

/// <summary>The engine from Kestrel's socket transport: submissions from ThreadPool threads (the engine's fallback path).</summary>
public sealed class EngineCryptoOnSocketsTests(EngineCryptoOnSockets fixture) : GatewayHttpTests(fixture), IClassFixture<EngineCryptoOnSockets>;
