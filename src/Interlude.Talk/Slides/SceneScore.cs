namespace Interlude.Talk.Slides;

/// <summary>ffmpeg's scene score of one frame: how much it differs from the previous frame (0 to 1).</summary>
internal readonly record struct SceneScore(double Seconds, double Score);
