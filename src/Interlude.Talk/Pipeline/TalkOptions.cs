using Interlude.Talk.Engines;

namespace Interlude.Talk.Pipeline;

/// <summary>A run of the talk pipeline.</summary>
/// <param name="Video">The talk video.</param>
/// <param name="OutputDirectory">Where slides/, slides.json, talk.html and talk.md go.</param>
/// <param name="Engines">The speech recognizer and corrector.</param>
/// <param name="SceneThreshold">The scene score that starts a slide; null chooses it from the video.</param>
/// <param name="Language">The talk's language (ISO 639-1).</param>
internal sealed record TalkOptions(string Video, string OutputDirectory, EngineSettings Engines, double? SceneThreshold = null, string Language = "en");
