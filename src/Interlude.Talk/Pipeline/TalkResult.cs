namespace Interlude.Talk.Pipeline;

/// <summary>The outcome of a run: the slides in order, the threshold used, and what could not be done.</summary>
/// <param name="Slides">One result per slide, in slide order.</param>
/// <param name="Threshold">The scene-score threshold used (null: none stood out, the video is one slide).</param>
/// <param name="ThresholdChosen">Whether the threshold was chosen from the video (not given).</param>
/// <param name="Problems">One line per stage or slide that failed; empty when everything ran.</param>
/// <param name="StageTimes">The time each engine spent.</param>
/// <param name="Elapsed">The whole run's wall time.</param>
internal sealed record TalkResult(
    IReadOnlyList<SlideResult> Slides,
    double? Threshold,
    bool ThresholdChosen,
    IReadOnlyList<string> Problems,
    IReadOnlyList<StageTime> StageTimes,
    TimeSpan Elapsed);
