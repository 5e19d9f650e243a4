namespace Interlude.Talk.Engines;

/// <summary>An engine (OCR, speech, correction, or a tool it runs) failed or could not be started.</summary>
internal sealed class TalkEngineException : Exception
{
    public TalkEngineException(string message)
        : base(message)
    {
    }

    public TalkEngineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
