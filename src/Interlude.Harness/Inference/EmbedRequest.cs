namespace Interlude.Harness.Inference;

/// <summary>aspnet-ort's <c>POST /embed</c> body, bound by the minimal API: <c>{"inputs": "text"}</c>.</summary>
/// <param name="Inputs">The text to embed.</param>
public sealed record EmbedRequest(string Inputs);
