using Interlude.Talk.Engines.Prompting;

namespace Interlude.Talk.Engines.Llama;

/// <summary>Options of <see cref="LlamaCorrector"/>.</summary>
internal sealed record LlamaCorrectorOptions
{
    /// <summary>The context window in tokens: prompt and answer together. Defaults to 4,096.</summary>
    public uint ContextSize { get; init; } = 4096;

    /// <summary>The most tokens one answer may have; an answer cut there is rejected. Defaults to 1,024.</summary>
    public int MaxTokens { get; init; } = 1024;

    /// <summary>Sampling temperature; 0 picks the most likely token every step (greedy). Defaults to 0.</summary>
    public float Temperature { get; init; }

    /// <summary>The sampler's seed, which matters only above temperature 0. Defaults to 42.</summary>
    public uint Seed { get; init; } = 42;

    /// <summary>CPU threads llama.cpp computes on; null lets it choose. Defaults to null.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Whether to format the prompt with the model's own chat template (the GGUF's <c>tokenizer.chat_template</c>)
    /// when it has one; otherwise, or when false, a plain instruction format is used. Defaults to true.
    /// </summary>
    public bool UseChatTemplate { get; init; } = true;

    /// <summary>Character budgets of the prompt's parts. Defaults to <see cref="CorrectionPromptLimits.Default"/>.</summary>
    public CorrectionPromptLimits Limits { get; init; } = CorrectionPromptLimits.Default;
}
