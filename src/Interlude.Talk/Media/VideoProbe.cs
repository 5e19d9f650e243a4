using System.Globalization;
using System.Text.Json;
using Interlude.Talk.Engines;
using Interlude.Talk.Tools;

namespace Interlude.Talk.Media;

/// <summary>Reads a video's duration and streams with ffprobe.</summary>
internal static class VideoProbe
{
    /// <summary>Probes <paramref name="path"/>; throws <see cref="TalkEngineException"/> when it is not a readable media file.</summary>
    public static VideoInfo Probe(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new TalkEngineException($"{path}: no such file.");
        }

        ToolResult result = ExternalTool.Run(
            "ffprobe",
            ["-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "json", path],
            cancellationToken);
        if (result.ExitCode != 0)
        {
            string detail = result.LastErrorLine;
            throw new TalkEngineException($"{path}: not a readable video ({(detail.Length == 0 ? "ffprobe exited with " + result.ExitCode : detail)}).");
        }

        return Parse(result.Text, path);
    }

    /// <summary>Reads ffprobe's JSON (<c>-show_entries format=duration:stream=codec_type -of json</c>).</summary>
    internal static VideoInfo Parse(string json, string path)
    {
        using var document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        bool hasVideo = false, hasAudio = false;
        if (root.TryGetProperty("streams", out JsonElement streams))
        {
            foreach (JsonElement stream in streams.EnumerateArray())
            {
                string? type = stream.TryGetProperty("codec_type", out JsonElement t) ? t.GetString() : null;
                hasVideo |= type == "video";
                hasAudio |= type == "audio";
            }
        }

        double seconds = 0;
        if (root.TryGetProperty("format", out JsonElement format)
            && format.TryGetProperty("duration", out JsonElement duration)
            && duration.GetString() is { } text)
        {
            _ = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds);
        }

        if (!hasVideo)
        {
            throw new TalkEngineException($"{path}: has no video stream, so there are no slides to find.");
        }

        if (seconds <= 0)
        {
            throw new TalkEngineException($"{path}: ffprobe reports no duration.");
        }

        return new VideoInfo(TimeSpan.FromSeconds(seconds), hasVideo, hasAudio);
    }
}
