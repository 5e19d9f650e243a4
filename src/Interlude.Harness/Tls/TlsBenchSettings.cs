namespace Interlude.Harness.Tls;

/// <summary>What <c>interlude bench tls</c> runs.</summary>
/// <param name="Modes">Modes, from <see cref="TlsModes.All"/>.</param>
/// <param name="Configurations">Certificate and TLS version combinations.</param>
/// <param name="Handshakes">Full handshakes per mode per round (h2load -n, one request per connection).</param>
/// <param name="Clients">Connections h2load keeps in flight (h2load -c).</param>
/// <param name="H2loadThreads">h2load's threads (-t).</param>
/// <param name="Rounds">Rounds; each round runs every mode once, starting with a different mode each time.</param>
/// <param name="WarmupHandshakes">Handshakes per mode before its first round, not measured.</param>
/// <param name="ProbeConnections">The keep-alive probe's persistent connections.</param>
/// <param name="ProbeInterval">The interval between one probe connection's requests.</param>
/// <param name="SampleInterval">The interval between the sampler's handshakes.</param>
/// <param name="CapacityDuration">How long the engine's and the BCL's signing rates are each measured.</param>
/// <param name="LoopCore">The core of the Interlude modes' one loop.</param>
/// <param name="EngineCore">The core of the engine's one thread.</param>
/// <param name="GatewayRequests">Token requests per mode to the SecureGateway sample's endpoints; 0 leaves the gateway out.</param>
/// <param name="GatewayClients">Kept-alive connections h2load sends the token requests over.</param>
public sealed record TlsBenchSettings(
    IReadOnlyList<string> Modes,
    IReadOnlyList<TlsConfiguration> Configurations,
    int Handshakes,
    int Clients,
    int H2loadThreads,
    int Rounds,
    int WarmupHandshakes,
    int ProbeConnections,
    TimeSpan ProbeInterval,
    TimeSpan SampleInterval,
    TimeSpan CapacityDuration,
    int LoopCore,
    int EngineCore,
    int GatewayRequests = 0,
    int GatewayClients = 16);
