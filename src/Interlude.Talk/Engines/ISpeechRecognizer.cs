namespace Interlude.Talk.Engines;

/// <summary>
/// A speech-to-text engine. The pipeline calls it on the engine's own thread (an offload), one slide's audio at a
/// time, never concurrently on one instance.
/// </summary>
internal interface ISpeechRecognizer : IDisposable
{
    /// <summary>The engine's name as the command line spells it (<c>pocketsphinx</c>, <c>whisper</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Transcribes <paramref name="samples"/>: 16 kHz mono PCM in [-1, 1], the audio spoken while one slide was
    /// shown. Returns the recognized words as one line of text (empty when nothing was recognized). Throws
    /// <see cref="TalkEngineException"/> when the engine fails.
    /// </summary>
    string Transcribe(ReadOnlySpan<float> samples, string language, CancellationToken cancellationToken);
}
