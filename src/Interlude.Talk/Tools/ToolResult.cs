namespace Interlude.Talk.Tools;

/// <summary>What an external tool printed and how it exited.</summary>
internal sealed record ToolResult(int ExitCode, byte[] StandardOutput, string StandardError)
{
    /// <summary>The standard output as UTF-8 text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(StandardOutput);

    /// <summary>The last non-empty line of standard error, for a one-line message (empty when there is none).</summary>
    public string LastErrorLine
    {
        get
        {
            string[] lines = StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length == 0 ? string.Empty : lines[^1];
        }
    }
}
