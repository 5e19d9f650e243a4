using System.CommandLine;

namespace Interlude.Cli.Commands;

/// <summary>An option naming a file to write: checked before anything runs, so a run never ends unable to save.</summary>
internal static class OutputFile
{
    internal static Option<FileInfo?> Create(string name, string description)
    {
        var option = new Option<FileInfo?>(name)
        {
            Description = description,
            HelpName = "file",
        };
        option.AcceptLegalFilePathsOnly();
        option.Validators.Add(r =>
        {
            if (r.Errors.Any() || r.GetValueOrDefault<FileInfo?>() is not { } file)
            {
                return;
            }

            if (Directory.Exists(file.FullName))
            {
                r.AddError($"{name}: '{file.FullName}' is a directory; give a file name.");
            }
            else if (file.Directory is { Exists: false } directory)
            {
                r.AddError($"{name}: the directory '{directory.FullName}' does not exist.");
            }
        });
        return option;
    }
}
