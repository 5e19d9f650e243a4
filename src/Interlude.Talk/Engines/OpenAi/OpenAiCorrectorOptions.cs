using Interlude.Talk.Engines.Prompting;

namespace Interlude.Talk.Engines.OpenAi;

/// <summary>Options of <see cref="OpenAiCorrector"/>.</summary>
/// <param name="Endpoint">
/// The API's base address, the part before <c>/chat/completions</c>: <c>https://api.openai.com/v1</c>, or a local
/// server's (llama.cpp's <c>llama-server</c>, Ollama, vLLM: <c>http://localhost:8080/v1</c>).
/// </param>
/// <param name="Model">The model name the server knows.</param>
internal sealed record OpenAiCorrectorOptions(Uri Endpoint, string Model)
{
    /// <summary>The default environment variable the API key is read from.</summary>
    public const string DefaultApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>
    /// The API key; when null it is read from <see cref="ApiKeyVariable"/>, and when that is unset too, none is sent
    /// (local servers need none). Defaults to null.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>The environment variable holding the API key. Defaults to <c>OPENAI_API_KEY</c>.</summary>
    public string ApiKeyVariable { get; init; } = DefaultApiKeyVariable;

    /// <summary>How long one correction may take, request and answer. Defaults to 120 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The most tokens the answer may have. Defaults to 1,024.</summary>
    public int MaxOutputTokens { get; init; } = 1024;

    /// <summary>
    /// Sampling temperature. Defaults to 0 (the most likely answer); null sends none, for models that refuse one
    /// (OpenAI's reasoning models).
    /// </summary>
    public float? Temperature { get; init; } = 0;

    /// <summary>A seed, for servers that honour one; null sends none. Defaults to 42.</summary>
    public long? Seed { get; init; } = 42;

    /// <summary>Character budgets of the prompt's parts. Defaults to <see cref="CorrectionPromptLimits.Default"/>.</summary>
    public CorrectionPromptLimits Limits { get; init; } = CorrectionPromptLimits.Default;
}
