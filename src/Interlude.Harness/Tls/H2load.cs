using System.Diagnostics;
using System.Globalization;

namespace Interlude.Harness.Tls;

/// <summary>Finds and runs h2load, nghttp2's load generator, as a storm of full TLS handshakes.</summary>
public static class H2load
{
    public const string InstallHint = "h2load is not installed. Install it with scripts/install-h2load.sh (apt-get install -y nghttp2-client), "
        + "or run this command with --install-h2load to have it do that.";

    /// <summary>The h2load executable on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (directory.Length > 0 && File.Exists(Path.Combine(directory, "h2load")))
            {
                return Path.Combine(directory, "h2load");
            }
        }

        return null;
    }

    /// <summary>Runs scripts/install-h2load.sh from the repository (found above the working directory); returns its exit code.</summary>
    public static async Task<int> InstallAsync(CancellationToken cancellationToken)
    {
        string? script = null;
        for (DirectoryInfo? d = new(Environment.CurrentDirectory); d is not null && script is null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "scripts", "install-h2load.sh");
            script = File.Exists(candidate) ? candidate : null;
        }

        if (script is null)
        {
            await Console.Error.WriteLineAsync("scripts/install-h2load.sh not found above the current directory.").ConfigureAwait(false);
            return 1;
        }

        using var process = Process.Start(new ProcessStartInfo("bash", [script]))!;
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>
    /// h2load's path; when it is missing and <paramref name="install"/> is set, installs it first. Returns null, with
    /// the install hint (and <paramref name="consequence"/>, when given) on standard error, when it is still missing.
    /// </summary>
    public static async Task<string?> FindOrInstallAsync(bool install, CancellationToken cancellationToken, string? consequence = null)
    {
        string? h2load = Find();
        if (h2load is null && install)
        {
            await InstallAsync(cancellationToken).ConfigureAwait(false);
            h2load = Find();
        }

        if (h2load is null)
        {
            await Console.Error.WriteLineAsync(consequence is null ? InstallHint : $"{InstallHint} {consequence}").ConfigureAwait(false);
        }

        return h2load;
    }

    /// <summary>
    /// h2load's arguments for <paramref name="handshakes"/> full handshakes, <paramref name="clients"/> at a time:
    /// HTTP/1.1, one request per connection. h2load gives each client -n/-c requests on one connection; the
    /// "Connection: close" header makes the server close it after each response, and h2load then opens a new
    /// connection for the client's next request, with a new TLS session (h2load never resumes one).
    /// </summary>
    public static IReadOnlyList<string> Arguments(Uri url, int handshakes, int clients, int threads)
    {
        return
        [
            .. OneInFlight(url, handshakes, clients, threads),
            "-H", "Connection: close",
            url.ToString(),
        ];
    }

    /// <summary>
    /// h2load's arguments for <paramref name="requests"/> POSTs of <paramref name="bodyFile"/> (<paramref name="contentType"/>, JSON by default) over
    /// <paramref name="clients"/> kept-alive HTTP/1.1 connections, each request's latency written to <paramref name="logFile"/>.
    /// </summary>
    public static IReadOnlyList<string> KeepAliveArguments(Uri url, int requests, int clients, int threads, string bodyFile, string logFile, string contentType = "application/json")
    {
        return
        [
            .. OneInFlight(url, requests, clients, threads),
            "-d", bodyFile,
            "-H", $"content-type: {contentType}",
            "--log-file", logFile,
            url.ToString(),
        ];
    }

    /// <summary>
    /// h2load's arguments for <paramref name="requests"/> GETs over <paramref name="clients"/> HTTP/1.1 connections,
    /// each request's latency written to <paramref name="logFile"/>. With <paramref name="connectionPerRequest"/>,
    /// "Connection: close" makes the server close each connection after its response and h2load opens a new one
    /// (and a new TLS session on https) for the client's next request.
    /// </summary>
    public static IReadOnlyList<string> GetArguments(Uri url, int requests, int clients, int threads, bool connectionPerRequest, string logFile)
    {
        return
        [
            .. OneInFlight(url, requests, clients, threads),
            .. connectionPerRequest ? (string[])["-H", "Connection: close"] : [],
            "--log-file", logFile,
            url.ToString(),
        ];
    }

    /// <summary>
    /// <paramref name="arguments"/> (ending with the URL, over <paramref name="clients"/> connections) turned into
    /// an open loop at <paramref name="rate"/> requests/s: <c>--rps</c> gives each connection its share, and the
    /// connections are opened one per 1/<paramref name="rate"/> (<c>-r 1 --rate-period</c>, whole milliseconds) so
    /// that each paces its requests from its own start and the requests are spread evenly, not sent all at once.
    /// </summary>
    public static IReadOnlyList<string> AtRate(IReadOnlyList<string> arguments, int clients, double rate)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        string perClient = (rate / clients).ToString("0.###", CultureInfo.InvariantCulture);
        long stagger = Math.Max(1, (long)Math.Round(1000 / rate));
        return [.. arguments.Take(arguments.Count - 1), "--rps", perClient, "-r", "1", "--rate-period", $"{stagger.ToString(CultureInfo.InvariantCulture)}ms", arguments[^1]];
    }

    /// <summary>Runs h2load with <paramref name="arguments"/> and returns what it printed.</summary>
    public static async Task<string> RunAsync(string h2load, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        => (await RunMeasuredAsync(h2load, arguments, cancellationToken).ConfigureAwait(false)).Output;

    /// <summary>
    /// Runs h2load with <paramref name="arguments"/> and returns what it printed and the CPU time (user and system)
    /// it used, null where that could not be read. h2load runs under bash, whose <c>times</c> reports its
    /// children's CPU time once h2load has exited.
    /// </summary>
    public static async Task<(string Output, TimeSpan? Cpu)> RunMeasuredAsync(string h2load, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash", ["-c", "\"$0\" \"$@\"; status=$?; times >&2; exit $status", h2load, .. arguments])
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

        string errors = await error.ConfigureAwait(false);
        TimeSpan? cpu = ParseChildTimes(errors, out string h2loadErrors);
        string text = await output.ConfigureAwait(false) + h2loadErrors;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"h2load exited with code {process.ExitCode}:{Environment.NewLine}{text}");
        }

        return (text, cpu);
    }

    /// <summary>
    /// Reads bash's <c>times</c> report at the end of <paramref name="stderr"/> (the shell's user and system time on
    /// one line, its children's on the next, each like <c>1m2.345s 0m0.678s</c>): the children's sum. Returns the
    /// text before it in <paramref name="rest"/>; null, and the whole text, when the report is not there.
    /// </summary>
    public static TimeSpan? ParseChildTimes(string stderr, out string rest)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        string[] lines = stderr.TrimEnd('\n', '\r').Split('\n');
        if (lines.Length < 2 || TimesLine(lines[^2]) is null || TimesLine(lines[^1]) is not { } children)
        {
            rest = stderr;
            return null;
        }

        rest = lines.Length == 2 ? string.Empty : string.Join('\n', lines[..^2]) + "\n";
        return children;
    }

    private static TimeSpan? TimesLine(string line)
    {
        string[] parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || Duration(parts[0]) is not { } user || Duration(parts[1]) is not { } system)
        {
            return null;
        }

        return user + system;
    }

    private static TimeSpan? Duration(string text)
    {
        int m = text.IndexOf('m', StringComparison.Ordinal);
        if (m <= 0 || !text.EndsWith('s')
            || !int.TryParse(text.AsSpan(0, m), NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
            || !double.TryParse(text.AsSpan(m + 1, text.Length - m - 2), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds))
        {
            return null;
        }

        return TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// What every run here shares: HTTP/1.1, <paramref name="requests"/> requests over <paramref name="clients"/>
    /// connections with one request in flight each, on at most <paramref name="threads"/> threads.
    /// </summary>
    private static string[] OneInFlight(Uri url, int requests, int clients, int threads)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(requests, clients);
        return
        [
            "--h1",
            "-n", requests.ToString(CultureInfo.InvariantCulture),
            "-c", clients.ToString(CultureInfo.InvariantCulture),
            "-t", Math.Min(threads, clients).ToString(CultureInfo.InvariantCulture),
            "-m", "1",
        ];
    }
}
