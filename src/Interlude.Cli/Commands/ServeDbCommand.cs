using System.CommandLine;
using Fortunes.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Interlude.Cli.Commands;

/// <summary>
/// Declares the hidden <c>interlude serve-db</c>: the Fortunes sample app, with its own arguments (--transport,
/// --urls, --ConnectionStrings:hello_world, --Interlude:*), in a process of its own, as bench db runs it.
/// </summary>
internal static class ServeDbCommand
{
    internal static Command Create()
    {
        var command = new Command("serve-db", "The database app bench db runs in child processes; the arguments are the app's own.")
        {
            Hidden = true,
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            WebApplication app;
            try
            {
                app = FortunesHost.Build([.. parseResult.UnmatchedTokens]);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }

            await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>How bench db starts the app: this program's hidden serve-db command under the same dotnet host as bench infer's client.</summary>
    internal static IReadOnlyList<string> ServerCommand()
    {
        IReadOnlyList<string> load = BenchInferRun.LoadClientCommand();
        return [load[0], load[1], "serve-db"];
    }
}
