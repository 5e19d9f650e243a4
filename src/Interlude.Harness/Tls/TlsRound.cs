using Interlude.Harness.Measurement;

namespace Interlude.Harness.Tls;

/// <summary>What one handshake storm against one mode measured, before rounds are combined.</summary>
/// <param name="H2load">What h2load printed.</param>
/// <param name="WallSeconds">The measured interval: h2load's whole run.</param>
/// <param name="Handshakes">Handshakes the server completed in the interval (h2load's and the sampler's).</param>
/// <param name="ProcessCpu">This process's CPU time over the interval.</param>
/// <param name="EngineCpu">The engine threads' CPU time over the interval; zero without an engine.</param>
/// <param name="ClientCpu">The probe's and the sampler's threads' CPU time over the interval.</param>
/// <param name="Probe">Keep-alive request latencies (ns) during the storm.</param>
/// <param name="ProbeErrors">Probe connections that failed.</param>
/// <param name="HandshakeLatencies">Sampled connect-plus-handshake latencies (ns) during the storm.</param>
/// <param name="HandshakeErrors">Sampled handshakes that failed.</param>
/// <param name="LoadGeneratorCpu">h2load's CPU time (user and system); null where it could not be read.</param>
public sealed record TlsRound(
    H2loadResult H2load,
    double WallSeconds,
    long Handshakes,
    TimeSpan ProcessCpu,
    TimeSpan EngineCpu,
    TimeSpan ClientCpu,
    LatencyHistogram Probe,
    long ProbeErrors,
    LatencyHistogram HandshakeLatencies,
    long HandshakeErrors,
    TimeSpan? LoadGeneratorCpu = null);
