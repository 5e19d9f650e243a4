namespace Interlude.Talk.Media;

/// <summary>What ffprobe says a video file holds.</summary>
/// <param name="Duration">The container's duration.</param>
/// <param name="HasVideo">Whether it has a video stream (the slides).</param>
/// <param name="HasAudio">Whether it has an audio stream (the speech).</param>
internal sealed record VideoInfo(TimeSpan Duration, bool HasVideo, bool HasAudio);
