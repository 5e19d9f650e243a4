using System.Globalization;
using Interlude.Talk.Engines;
using Interlude.Talk.Tools;

namespace Interlude.Talk.Slides;

/// <summary>
/// One ffmpeg pass that prints the scene score of every frame (<c>select='gte(scene,0)'</c> with
/// <c>metadata=print</c>): the whole distribution, from which <see cref="SceneThreshold"/> picks the cut level.
/// </summary>
internal static class SceneScanner
{
    public static IReadOnlyList<SceneScore> Scan(string video, CancellationToken cancellationToken)
    {
        ToolResult result = ExternalTool.RunChecked(
            "ffmpeg",
            ["-hide_banner", "-nostdin", "-v", "error", "-i", video, "-an", "-sn", "-dn",
             "-vf", "select='gte(scene,0)',metadata=print:key=lavfi.scene_score:file=-", "-f", "null", "-"],
            "scene detection",
            cancellationToken);
        return Parse(result.Text);
    }

    /// <summary>Reads metadata=print's lines: <c>frame:N pts:P pts_time:T</c> then <c>lavfi.scene_score=S</c>.</summary>
    internal static IReadOnlyList<SceneScore> Parse(string text)
    {
        var scores = new List<SceneScore>();
        double? time = null;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            int at = line.IndexOf("pts_time:", StringComparison.Ordinal);
            if (at >= 0)
            {
                string value = line[(at + "pts_time:".Length)..].Split(' ', '\t')[0];
                time = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double t) ? t : null;
                continue;
            }

            const string Key = "lavfi.scene_score=";
            if (line.StartsWith(Key, StringComparison.Ordinal) && time is { } seconds
                && double.TryParse(line.AsSpan(Key.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double score))
            {
                scores.Add(new SceneScore(seconds, score));
                time = null;
            }
        }

        return scores;
    }
}
