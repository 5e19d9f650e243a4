namespace InferenceServer;

/// <summary>Limits of the server's endpoints.</summary>
public sealed class InferenceServerOptions
{
    /// <summary>The largest request body accepted; larger ones get 413. Defaults to 16 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The most tensor elements one inference request may carry over its inputs; more get 413. Defaults to 4 Mi.</summary>
    public long MaxRequestElements { get; set; } = 4 * 1024 * 1024;

    internal void Validate()
    {
        if (MaxRequestBodyBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRequestBodyBytes), MaxRequestBodyBytes, "Must be positive.");
        }

        if (MaxRequestElements < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRequestElements), MaxRequestElements, "Must be positive.");
        }
    }
}
