using System.CommandLine;
using Interlude.Harness.OpenLoop;

namespace Interlude.Cli.Commands;

/// <summary>
/// Declares the hidden <c>interlude load</c>: the open-loop HTTP client (<see cref="OpenLoopClient"/>) that
/// <c>bench infer</c> runs as a child process, so that its CPU time is not counted as the server's. It POSTs a file at
/// scheduled times, writes one h2load-style log line per request and prints <c>finished in S s, N requests</c>.
/// </summary>
internal static class LoadCommand
{
    internal static Command Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "Where every request is POSTed.",
            Required = true,
            CustomParser = r => Uri.TryCreate(r.Tokens.Single().Value, UriKind.Absolute, out Uri? parsed) ? parsed : null,
        };
        url.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<Uri?>() is null)
            {
                r.AddError("--url: not an absolute URL.");
            }
        });
        var body = new Option<FileInfo>("--body") { Description = "The file every request sends.", Required = true };
        var contentType = new Option<string>("--content-type") { Description = "The body's media type.", DefaultValueFactory = _ => "application/json" };
        Option<double> rate = NumericOption.Real("--rate", "per-s", "Mean requests per second.", 100, 0, 10_000_000, minIsAllowed: false);
        Option<int> requests = NumericOption.Integer("--requests", "n", "Requests to send.", 1000, 1, 100_000_000);
        Option<int> connections = NumericOption.Integer("--connections", "n", "The most connections open at once.", 64, 1, 100_000);
        var arrivals = new Option<string>("--arrivals") { Description = "poisson or constant.", DefaultValueFactory = _ => "poisson" };
        arrivals.AcceptOnlyFromAmong("poisson", "constant");
        Option<int> seed = NumericOption.Integer("--seed", "n", "The Poisson schedule's seed.", 1, int.MinValue, int.MaxValue);
        var logFile = new Option<FileInfo>("--log-file") { Description = "Where the per-request log goes.", Required = true };
        var command = new Command("load", "The open-loop HTTP client bench infer runs in a process of its own.")
        {
            url, body, contentType, rate, requests, connections, arrivals, seed, logFile,
        };
        command.Hidden = true;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new OpenLoopClientSettings(
                parseResult.GetValue(url)!,
                await File.ReadAllBytesAsync(parseResult.GetValue(body)!.FullName, cancellationToken).ConfigureAwait(false),
                parseResult.GetValue(contentType)!,
                parseResult.GetValue(rate),
                parseResult.GetValue(requests),
                parseResult.GetValue(connections),
                parseResult.GetValue(arrivals) == "constant" ? ArrivalProcess.Constant : ArrivalProcess.Poisson,
                parseResult.GetValue(seed));
            OpenLoopClientResult result = await OpenLoopClient.RunAsync(settings, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(parseResult.GetValue(logFile)!.FullName, result.ToLog(), cancellationToken).ConfigureAwait(false);
            Console.WriteLine(OpenLoopProcess.Summary(result));
            return 0;
        });
        return command;
    }
}
