using System.CommandLine;
using System.CommandLine.Invocation;

namespace Interlude.Cli.Commands;

/// <summary>
/// The standard help, followed by a command's notes (examples, how to read its output), which the standard
/// help has no section for.
/// </summary>
internal sealed class HelpWithNotesAction : SynchronousCommandLineAction
{
    private readonly SynchronousCommandLineAction _standard;
    private readonly IReadOnlyDictionary<Command, string> _notes;

    internal HelpWithNotesAction(SynchronousCommandLineAction standard, IReadOnlyDictionary<Command, string> notes)
    {
        _standard = standard;
        _notes = notes;
    }

    // Like the standard help: "demo --help --typo" still shows help.
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        int exitCode = _standard.Invoke(parseResult);
        if (_notes.TryGetValue(parseResult.CommandResult.Command, out string? notes))
        {
            parseResult.InvocationConfiguration.Output.WriteLine(notes);
        }

        return exitCode;
    }
}
