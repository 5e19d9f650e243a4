using Interlude.Harness.OpenLoop;

namespace Interlude.Harness.Inference;

/// <summary>What <c>interlude bench infer</c> runs.</summary>
/// <param name="Modes">The modes, in order.</param>
/// <param name="Requests">Closed-loop requests per mode (h2load -n).</param>
/// <param name="Clients">Closed-loop connections, one request in flight each (h2load -c).</param>
/// <param name="WarmupRequests">Requests per mode before it is measured.</param>
/// <param name="OpenLoopSeconds">How long the open-loop phase offers its rate; 0 leaves it out.</param>
/// <param name="OpenLoopFraction">The open-loop rate as a fraction of interlude-batching's closed-loop throughput.</param>
/// <param name="OpenLoopClients">The open-loop client's most connections at once (a pool: a request is sent when due, on a free connection or a new one).</param>
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
    /// <summary>The models, in order (<see cref="InferModels"/>). Defaults to both.</summary>
    public IReadOnlyList<string> Models { get; init; } = InferModels.All;

    /// <summary>How the open loop spaces its requests. Defaults to Poisson arrivals.</summary>
    public ArrivalProcess Arrivals { get; init; } = ArrivalProcess.Poisson;

    /// <summary>The seed of the open loop's Poisson schedule.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// The open-loop client's command: the program, then the arguments that name the load command (for example
    /// <c>["interlude", "load"]</c>); <see cref="OpenLoopProcess"/> adds the rest. Null leaves the open loop out.
    /// </summary>
    public IReadOnlyList<string>? LoadClient { get; init; }

    /// <summary>The default text: a sentence of about twenty tokens.</summary>
    public const string DefaultText = "Interlude runs coroutines on per-core loops and resumes them there once the device has finished its work.";
}
