namespace Interlude.Inference.Tests.Infrastructure;

/// <summary>Sentences of different lengths, so batches need padding.</summary>
internal static class Texts
{
    public static readonly string[] Mixed =
    [
        "Hello, world!",
        "The quick brown fox jumps over the lazy dog.",
        "A",
        "Interlude runs coroutines on per-core loops and hands heavy work to devices that run on cores of their own, "
            + "resuming each coroutine on its own loop when the device is done with it.",
        "Embeddings map sentences to vectors.",
        "What is the capital of France?",
    ];
}
