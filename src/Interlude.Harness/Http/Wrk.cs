using System.Diagnostics;

namespace Interlude.Harness.Http;

/// <summary>Finds and runs the wrk load generator.</summary>
public static class Wrk
{
    public const string InstallHint = "wrk is not installed. Install it with scripts/install-wrk.sh (apt-get install -y wrk), "
        + "or run this command with --install-wrk to have it do that.";

    /// <summary>The wrk executable on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (directory.Length > 0 && File.Exists(Path.Combine(directory, "wrk")))
            {
                return Path.Combine(directory, "wrk");
            }
        }

        return null;
    }

    /// <summary>Runs scripts/install-wrk.sh from the repository (found above the working directory); returns its exit code.</summary>
    public static async Task<int> InstallAsync(CancellationToken cancellationToken)
    {
        string? script = null;
        for (DirectoryInfo? d = new(Environment.CurrentDirectory); d is not null && script is null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "scripts", "install-wrk.sh");
            script = File.Exists(candidate) ? candidate : null;
        }

        if (script is null)
        {
            await Console.Error.WriteLineAsync("scripts/install-wrk.sh not found above the current directory.").ConfigureAwait(false);
            return 1;
        }

        using var process = Process.Start(new ProcessStartInfo("bash", [script]))!;
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Runs wrk with <c>--latency</c> and returns what it printed.</summary>
    public static async Task<string> RunAsync(string wrk, Uri url, int threads, int connections, int durationSeconds, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(wrk, ["-t", $"{threads}", "-c", $"{connections}", "-d", $"{durationSeconds}s", "--latency", url.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        string text = await output.ConfigureAwait(false) + await error.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with code {process.ExitCode}:{Environment.NewLine}{text}");
        }

        return text;
    }
}
