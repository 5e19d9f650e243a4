using System.Reflection;

namespace Interlude.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the <c>interlude</c> command inside the test process through its real entry point, with standard output
/// and standard error captured and the working directory set to a directory of the test's own, so that nothing
/// the command writes by default lands among the test binaries. The test assembly runs its tests one at a time,
/// so swapping these process-wide settings for the duration of a run is safe.
/// </summary>
internal static class CommandLine
{
    private static readonly SemaphoreSlim s_oneAtATime = new(1, 1);

    public static async Task<CliRun> RunInAsync(string workingDirectory, params string[] args)
    {
        MethodInfo entryPoint = typeof(Program).Assembly.EntryPoint
            ?? throw new InvalidOperationException("The command's assembly has no entry point.");

        if (!await s_oneAtATime.WaitAsync(Timeouts.CommandRun))
        {
            throw new TimeoutException("Another run of the command did not finish.");
        }

        var output = new StringWriter();
        var error = new StringWriter();
        TextWriter originalOutput = Console.Out;
        TextWriter originalError = Console.Error;
        string originalDirectory = Environment.CurrentDirectory;
        Console.SetOut(TextWriter.Synchronized(output));
        Console.SetError(TextWriter.Synchronized(error));
        Environment.CurrentDirectory = workingDirectory;
        try
        {
            int exitCode = await Task.Run(() => (int)entryPoint.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [args], null)!)
                .WaitAsync(Timeouts.CommandRun);
            Console.Out.Flush();
            Console.Error.Flush();
            return new CliRun(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = originalDirectory;
            Console.SetOut(originalOutput);
            Console.SetError(originalError);
            s_oneAtATime.Release();
        }
    }
}
