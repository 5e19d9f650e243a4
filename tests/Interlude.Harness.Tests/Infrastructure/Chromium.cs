using System.Diagnostics;

namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>A headless Chromium (scripts/install-chromium.sh), to open the reports as a reader's browser would.</summary>
internal static class Chromium
{
    private static readonly Lazy<string?> s_path = new(Find);

    /// <summary>The browser's executable, or null when none is installed.</summary>
    public static string? Path => s_path.Value;

    /// <summary>
    /// Loads <paramref name="page"/> headless and returns its DOM once loaded, what the browser logged (its console
    /// included), and a screenshot of the first 1280x4000 pixels.
    /// </summary>
    public static async Task<(string Dom, string Log, byte[] Screenshot)> OpenAsync(string page, string workDirectory)
    {
        string screenshot = System.IO.Path.Combine(workDirectory, System.IO.Path.GetFileNameWithoutExtension(page) + ".png");
        string profile = System.IO.Path.Combine(workDirectory, "profile");
        string url = new Uri(page).AbsoluteUri;
        (string dom, string domLog) = await RunAsync(["--dump-dom", url], profile);
        (_, string shotLog) = await RunAsync([$"--screenshot={screenshot}", "--window-size=1280,4000", url], profile);
        return (dom, domLog + shotLog, File.Exists(screenshot) ? await File.ReadAllBytesAsync(screenshot) : []);
    }

    private static async Task<(string Output, string Log)> RunAsync(IEnumerable<string> arguments, string profile)
    {
        var start = new ProcessStartInfo(Path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
            "--enable-logging=stderr", "--v=0", $"--user-data-dir={profile}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> log = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Chromium did not finish: {await log}");
        }

        return (await output, await log);
    }

    private static string? Find()
    {
        foreach (string name in (string[])["chromium", "chromium-browser", "google-chrome"])
        {
            foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = System.IO.Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
