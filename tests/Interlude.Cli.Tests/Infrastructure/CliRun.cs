namespace Interlude.Cli.Tests.Infrastructure;

/// <summary>What one in-process run of the <c>interlude</c> command returned and printed.</summary>
/// <param name="ExitCode">The entry point's return value.</param>
/// <param name="Output">Everything written to standard output.</param>
/// <param name="Error">Everything written to standard error.</param>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Both streams, for failure messages.</summary>
    public string Transcript => $"exit code {ExitCode}{Environment.NewLine}--- stdout ---{Environment.NewLine}{Output}"
        + $"--- stderr ---{Environment.NewLine}{Error}";
}
