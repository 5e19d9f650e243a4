namespace Interlude.Harness.Inference;

/// <summary>One mode's figures: the closed loop, and the open loop where it ran; or why it could not be measured.</summary>
/// <param name="Mode">The mode's name.</param>
/// <param name="Error">Why the mode was not measured, or null.</param>
/// <param name="Closed">The closed-loop phase, or null.</param>
/// <param name="Open">The open-loop phase, or null.</param>
public sealed record InferModeResult(string Mode, string? Error, InferLoadResult? Closed, InferLoadResult? Open)
{
    /// <summary>The model measured (<see cref="InferModels"/>). Defaults to the embeddings.</summary>
    public string Model { get; init; } = InferModels.Embed;

    public static InferModeResult Failure(string mode, string error) => new(mode, error, null, null);
}
