namespace Interlude.Talk.Engines;

/// <summary>The engines chosen on the command line and the files and endpoints they need.</summary>
/// <param name="Asr">The speech recognizer: <c>pocketsphinx</c> or <c>whisper</c>.</param>
/// <param name="Correct">The corrector: <c>terms</c>, <c>llama</c>, <c>openai</c> or <c>none</c>.</param>
/// <param name="WhisperModel">The ggml weights file <c>--asr whisper</c> loads.</param>
/// <param name="LlamaModel">The GGUF file <c>--correct llama</c> loads.</param>
/// <param name="Endpoint">The OpenAI-compatible endpoint <c>--correct openai</c> calls.</param>
/// <param name="Model">The model name <c>--correct openai</c> asks the endpoint for.</param>
internal sealed record EngineSettings(
    string Asr = EngineCatalog.PocketSphinx,
    string Correct = EngineCatalog.Terms,
    string? WhisperModel = null,
    string? LlamaModel = null,
    Uri? Endpoint = null,
    string? Model = null);
