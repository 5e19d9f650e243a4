using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using Interlude.Cli.Commands;

namespace Interlude.Cli;

internal static class Program
{
    private const long SignalRepeatWindowMs = 1000;

    private static long s_firstSignalAt;

    private static async Task<int> Main(string[] args)
    {
        Command demo = DemoCommand.Create();
        Command offload = BenchOffloadCommand.Create();
        Command wake = BenchWakeCommand.Create();
        Command http = BenchHttpCommand.Create();
        Command tls = BenchTlsCommand.Create();
        Command infer = BenchInferCommand.Create();
        Command db = BenchDbCommand.Create();
        Command gpu = BenchGpuCommand.Create();
        Command soak = SoakCommand.Create();
        Command top = TopCommand.Create();
        Command load = LoadCommand.Create();
        Command talk = TalkCommand.Create();
        Command serveDb = ServeDbCommand.Create();
        var bench = new Command("bench", "Benchmarks that print figures and write JSON.") { offload, wake, http, tls, infer, gpu, db };

        // A plain command as the root, rather than RootCommand, so that usage reads "interlude" and not the
        // assembly's file name.
        var help = new HelpOption();
        var root = new Command(
            "interlude",
            "Tools for Interlude, a .NET runtime of per-core event loops: async handlers keep their core busy with other "
            + "requests while an accelerator works, and the loop, not the ThreadPool, resumes them when it finishes.")
        {
            help,
            new VersionOption(),
            demo,
            bench,
            soak,
            top,
            load,
            talk,
            serveDb,
        };

        help.Action = new HelpWithNotesAction(
            (SynchronousCommandLineAction)help.Action!,
            new Dictionary<Command, string> { [demo] = DemoCommand.Notes, [offload] = BenchOffloadCommand.Notes, [wake] = BenchWakeCommand.Notes, [tls] = BenchTlsCommand.Notes, [infer] = BenchInferCommand.Notes, [db] = BenchDbCommand.Notes, [gpu] = BenchGpuCommand.Notes, [soak] = SoakCommand.Notes, [top] = TopCommand.Notes, [talk] = TalkCommand.Notes });

        // Nothing asked for: say what there is.
        ParseResult parseResult = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parseResult.Action is ParseErrorAction errorAction)
        {
            // The errors alone, then where to look: the whole help after them would bury them.
            errorAction.ShowHelp = false;
            int exitCode = await parseResult.InvokeAsync().ConfigureAwait(false);
            var names = new List<string>();
            for (SymbolResult? result = parseResult.CommandResult; result is CommandResult commandResult; result = commandResult.Parent)
            {
                names.Insert(0, commandResult.Command.Name);
            }

            string path = string.Join(' ', names);
            await Console.Error.WriteLineAsync($"Run '{path} --help' for usage.").ConfigureAwait(false);
            return exitCode;
        }

        // Ctrl+C and SIGTERM cancel the command's token and let it stop its threads and report; the parser's own
        // handling is off because it lets the signal end the process before that clean-up has run.
        using var cancellation = new CancellationTokenSource();
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, cancellation));
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, cancellation));
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return await parseResult.InvokeAsync(configuration, cancellation.Token).ConfigureAwait(false);
    }

    private static void OnSignal(PosixSignalContext context, CancellationTokenSource cancellation)
    {
        // The first signal asks for a clean stop. A repeat within a second is the same request delivered twice
        // (to the process and to its group); a later one ends the process at once.
        long now = Environment.TickCount64;
        long first = Interlocked.CompareExchange(ref s_firstSignalAt, now, 0);
        if (first == 0 || now - first < SignalRepeatWindowMs)
        {
            context.Cancel = true;
            _ = cancellation.CancelAsync();
        }
    }
}
