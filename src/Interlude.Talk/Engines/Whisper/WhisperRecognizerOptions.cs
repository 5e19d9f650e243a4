namespace Interlude.Talk.Engines.Whisper;

/// <summary>Options of <see cref="WhisperRecognizer"/>.</summary>
internal sealed record WhisperRecognizerOptions
{
    /// <summary>CPU threads whisper.cpp computes on. Defaults to the processor count, at most 4.</summary>
    public int Threads { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// The language (ISO 639-1) used when a call passes none. Defaults to <c>en</c>. An English-only model
    /// (<c>*.en</c>) transcribes English whatever is asked.
    /// </summary>
    public string Language { get; init; } = "en";

    /// <summary>
    /// Text given to the decoder as preceding context (Whisper's initial prompt): names and terms spelled as wanted
    /// make the model more likely to spell them so. Defaults to none.
    /// </summary>
    public string? InitialPrompt { get; init; }

    /// <summary>
    /// Decoding temperature; 0 is greedy, and whisper.cpp raises it step by step only when a window's decoding fails
    /// its own checks. Defaults to 0.
    /// </summary>
    public float Temperature { get; init; }
}
