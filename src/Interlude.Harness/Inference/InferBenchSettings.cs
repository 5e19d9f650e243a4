namespace Interlude.Harness.Inference;

/// <summary>What <c>interlude bench infer</c> runs.</summary>
/// <param name="Modes">The modes, in order.</param>
/// <param name="Requests">Closed-loop requests per mode (h2load -n).</param>
/// <param name="Clients">Closed-loop connections, one request in flight each (h2load -c).</param>
/// <param name="WarmupRequests">Requests per mode before it is measured.</param>
/// <param name="OpenLoopSeconds">How long the open-loop phase offers its rate; 0 leaves it out.</param>
/// <param name="OpenLoopFraction">The open-loop rate as a fraction of interlude-batching's closed-loop throughput.</param>
/// <param name="OpenLoopClients">Open-loop connections, sharing the rate.</param>
/// <param name="MaxBatchSize">interlude-batching's most requests per run.</param>
/// <param name="MaxQueueDelay">interlude-batching's wait for others to batch with while the device is idle.</param>
/// <param name="LoopCore">The Interlude loop's core.</param>
/// <param name="DeviceCore">The device thread's core.</param>
/// <param name="Text">The text every request embeds.</param>
public sealed record InferBenchSettings(
    IReadOnlyList<string> Modes,
    int Requests,
    int Clients,
    int WarmupRequests,
    double OpenLoopSeconds,
    double OpenLoopFraction,
    int OpenLoopClients,
    int MaxBatchSize,
    TimeSpan MaxQueueDelay,
    int LoopCore,
    int DeviceCore,
    string Text)
{
    /// <summary>The default text: a sentence of about twenty tokens.</summary>
    public const string DefaultText = "Interlude runs coroutines on per-core loops and resumes them there once the device has finished its work.";
}
