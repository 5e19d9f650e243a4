namespace Interlude.Talk.Engines.Llama;

/// <summary>What one correction sent to the model and what came back, for diagnostics and tests.</summary>
/// <param name="Prompt">The exact text given to the model (after the chat template, if any).</param>
/// <param name="PromptTokens">The prompt's length in tokens.</param>
/// <param name="GeneratedTokens">How many tokens the model generated.</param>
/// <param name="HitTokenLimit">Whether generation stopped at the token limit rather than at a stop string or the end of its turn.</param>
/// <param name="Answer">The raw answer, before cleanup.</param>
internal sealed record LlamaRun(string Prompt, int PromptTokens, int GeneratedTokens, bool HitTokenLimit, string Answer);
