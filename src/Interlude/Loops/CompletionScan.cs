namespace Interlude;

/// <summary>How a loop finds the device channels that have completions for it.</summary>
public enum CompletionScan
{
    /// <summary>Scan every channel while a loop has few; switch to the summary, for good, once it has more.</summary>
    Auto,

    /// <summary>Look at every channel's completion ring each poll: cost grows with the channel count.</summary>
    Linear,

    /// <summary>Visit only the channels rung in the readiness summary: cost grows with the ready channels.</summary>
    Summary,
}
