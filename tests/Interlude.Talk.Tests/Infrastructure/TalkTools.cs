using Interlude.Talk.Tools;

namespace Interlude.Talk.Tests.Infrastructure;

/// <summary>The command-line tools the pipeline and the synthetic talk need, and which of them are missing here.</summary>
internal static class TalkTools
{
    public static IReadOnlyList<string> Missing { get; } = FindMissing();

    private static string[] FindMissing()
    {
        var missing = new List<string>();
        foreach (string tool in new[] { "ffmpeg", "ffprobe", "tesseract", "flite", "convert" })
        {
            if (ExternalTool.Find(tool) is null)
            {
                missing.Add(tool);
            }
        }

        if (ExternalTool.Find("pocketsphinx_continuous") is null && ExternalTool.Find("pocketsphinx") is null)
        {
            missing.Add("pocketsphinx");
        }

        return [.. missing];
    }
}
