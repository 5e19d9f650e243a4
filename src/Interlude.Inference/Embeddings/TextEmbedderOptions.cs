namespace Interlude.Inference;

/// <summary>Configuration of a <see cref="TextEmbedder"/>: its token limit and what to do with longer texts, and how its requests batch.</summary>
public sealed class TextEmbedderOptions : InferenceModelOptions
{
    /// <summary>The most tokens a text may have, [CLS] and [SEP] included (BERT's position table allows 512).</summary>
    /// <remarks>Defaults to 256, the length all-MiniLM-L6-v2 was trained with.</remarks>
    public int MaxSequenceLength { get; set; } = 256;

    /// <summary>
    /// Whether a longer text is cut to <see cref="MaxSequenceLength"/> tokens (its first ones, then [SEP]) instead of
    /// failing with <see cref="InferenceInputException"/> (<see cref="InferenceInputError.TooManyTokens"/>).
    /// </summary>
    /// <remarks>Defaults to false.</remarks>
    public bool Truncate { get; set; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (MaxSequenceLength < 2 || MaxSequenceLength > 512)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSequenceLength), MaxSequenceLength, "MaxSequenceLength must be between 2 and 512.");
        }
    }
}
