using System.Diagnostics;
using System.Globalization;

namespace Interlude.Harness.OpenLoop;

/// <summary>
/// Runs <see cref="OpenLoopClient"/> in a child process (the hidden <c>interlude load</c> command), so the server's
/// process accounts none of the client's CPU time. The child writes its requests in h2load's log format and prints
/// one summary line, <c>finished in S s, N requests</c>.
/// </summary>
public static class OpenLoopProcess
{
    private const string Finished = "finished in ";

    /// <summary>The command's arguments after its name: everything <paramref name="settings"/> says but the body, which is read from <paramref name="bodyFile"/>.</summary>
    public static IReadOnlyList<string> Arguments(OpenLoopClientSettings settings, string bodyFile, string logFile)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return
        [
            "--url", settings.Url.ToString(),
            "--body", bodyFile,
            "--content-type", settings.ContentType,
            "--rate", settings.Rate.ToString("R", CultureInfo.InvariantCulture),
            "--requests", settings.Requests.ToString(CultureInfo.InvariantCulture),
            "--connections", settings.Connections.ToString(CultureInfo.InvariantCulture),
            "--arrivals", settings.Arrivals == ArrivalProcess.Poisson ? "poisson" : "constant",
            "--seed", settings.Seed.ToString(CultureInfo.InvariantCulture),
            "--log-file", logFile,
        ];
    }

    /// <summary>The summary line the child prints.</summary>
    public static string Summary(OpenLoopClientResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return string.Create(CultureInfo.InvariantCulture, $"{Finished}{result.FinishedSeconds:F6} s, {result.Statuses.Count} requests");
    }

    /// <summary>The seconds a summary line says; throws when <paramref name="output"/> has none.</summary>
    public static double ParseFinishedSeconds(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (string line in output.Split('\n'))
        {
            int at = line.IndexOf(Finished, StringComparison.Ordinal);
            if (at >= 0)
            {
                string rest = line[(at + Finished.Length)..];
                int space = rest.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && double.TryParse(rest[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
                {
                    return seconds;
                }
            }
        }

        throw new FormatException($"The open-loop client printed no '{Finished}' line: '{output.Trim()}'.");
    }

    /// <summary>
    /// Runs <paramref name="command"/> (the program, then the arguments naming the load command) with
    /// <paramref name="settings"/>' arguments, and returns the seconds it ran for; its log is then in <paramref name="logFile"/>.
    /// </summary>
    public static async Task<double> RunAsync(IReadOnlyList<string> command, OpenLoopClientSettings settings, string bodyFile, string logFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentOutOfRangeException.ThrowIfLessThan(command.Count, 1);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in command.Skip(1).Concat(Arguments(settings, bodyFile, logFile)))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string printed = await output.ConfigureAwait(false);
        string errors = await error.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The open-loop client exited with {process.ExitCode}: {errors.Trim()} {printed.Trim()}".Trim());
        }

        return ParseFinishedSeconds(printed);
    }
}
