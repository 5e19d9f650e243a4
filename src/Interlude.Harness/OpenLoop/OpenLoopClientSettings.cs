namespace Interlude.Harness.OpenLoop;

/// <summary>What <see cref="OpenLoopClient"/> sends, and when.</summary>
/// <param name="Url">Where every request is POSTed.</param>
/// <param name="Body">The body of every request.</param>
/// <param name="ContentType">Its media type, for example "application/json".</param>
/// <param name="Rate">The mean requests per second offered.</param>
/// <param name="Requests">How many requests are sent.</param>
/// <param name="Connections">The most connections open at once; a request sent when all are busy waits for one, and the wait counts in its latency.</param>
/// <param name="Arrivals">How the send times are spaced.</param>
/// <param name="Seed">The seed of the Poisson schedule.</param>
public sealed record OpenLoopClientSettings(
    Uri Url,
    byte[] Body,
    string ContentType,
    double Rate,
    int Requests,
    int Connections,
    ArrivalProcess Arrivals,
    int Seed)
{
    /// <summary>How long one request may take before it counts as failed. Defaults to 60 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
