using System.Diagnostics;
using Interlude.Talk.Engines;

namespace Interlude.Talk.Tools;

/// <summary>
/// Runs the command-line tools the pipeline is built on (ffmpeg, ffprobe, tesseract, pocketsphinx, convert) as
/// child processes. The calling thread blocks until the tool exits: the pipeline calls this only on an engine's own
/// device thread, never on a loop.
/// </summary>
internal static class ExternalTool
{
    /// <summary>The full path of <paramref name="name"/> found on PATH, or null when it is not installed.</summary>
    public static string? Find(string name)
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs <paramref name="tool"/> with <paramref name="arguments"/> and returns what it printed. Throws
    /// <see cref="TalkEngineException"/> when the tool is not installed or cannot start; a nonzero exit is returned,
    /// not thrown (the caller knows what it means). Cancellation kills the process tree.
    /// </summary>
    public static ToolResult Run(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        string path = Find(tool) ?? throw new TalkEngineException($"{tool} is not installed (scripts/install-talk-tools.sh installs it).");
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TalkEngineException($"{tool} could not be started: {e.Message}", e);
        }

        using CancellationTokenRegistration kill = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It had already exited.
            }
        });

        // Both pipes are drained at once so that neither fills and stalls the tool.
        Task<string> error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        cancellationToken.ThrowIfCancellationRequested();
        return new ToolResult(process.ExitCode, output.ToArray(), error.GetAwaiter().GetResult());
    }

    /// <summary>Runs the tool and throws <see cref="TalkEngineException"/> naming it when it exits nonzero.</summary>
    public static ToolResult RunChecked(string tool, IEnumerable<string> arguments, string what, CancellationToken cancellationToken)
    {
        ToolResult result = Run(tool, arguments, cancellationToken);
        if (result.ExitCode != 0)
        {
            string detail = result.LastErrorLine;
            throw new TalkEngineException($"{what}: {tool} exited with {result.ExitCode}{(detail.Length == 0 ? string.Empty : ": " + detail)}");
        }

        return result;
    }
}
