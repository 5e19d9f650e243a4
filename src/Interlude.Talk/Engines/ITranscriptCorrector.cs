namespace Interlude.Talk.Engines;

/// <summary>
/// Corrects one slide's raw transcript with the slide's own text and the title slide's text as reference. The
/// pipeline calls it on the engine's own thread (an offload), never concurrently on one instance.
/// </summary>
internal interface ITranscriptCorrector : IDisposable
{
    /// <summary>The engine's name as the command line spells it (<c>terms</c>, <c>llama</c>, <c>openai</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Returns the corrected transcript. Throws <see cref="TalkEngineException"/> when the engine fails; the
    /// pipeline then keeps the raw transcript for that slide and reports the failure.
    /// </summary>
    string Correct(CorrectionRequest request, CancellationToken cancellationToken);
}
