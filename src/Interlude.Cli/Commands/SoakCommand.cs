using System.CommandLine;
using System.Globalization;
using Interlude.Harness.Soak;

namespace Interlude.Cli.Commands;

/// <summary>Declares <c>interlude soak</c>: sustained overload with injected errors and cancellations, and what the runtime keeps bounded.</summary>
internal static class SoakCommand
{
    internal const string Notes = """
        Each loop starts requests at its share of the arrival rate (overload x lanes / service time), whatever is
        in flight: an open loop. Every request offloads once to the simulated device and ends one of five ways:
        completed, faulted (an injected device error), cancelled (its caller's deadline, or the stop), overloaded
        (refused, or shed, past the device's waiting bound) or unexpected (any other exception: none should occur).
        Memory, the queue of submissions waiting for ring space, and the requests in flight are read every second.
        The run passes when every request that arrived ended exactly one way and none ended unexpectedly; memory
        growth after the first 10 s (the heap's peaks, the resident set) is printed against the 10% target.

        Examples:
          interlude soak --quick
          interlude soak --seconds 60 --overload 10 --overflow shed-oldest
        """;

    internal static Command Create()
    {
        SoakSettings d = SoakSettings.Default;
        Option<double> seconds = NumericOption.Real("--seconds", "s", $"How long requests keep arriving (1 to 86,400) [default: {d.Duration.TotalSeconds:G}, or 5 with --quick].", d.Duration.TotalSeconds, 1, 86_400);
        Option<double> overload = NumericOption.Real("--overload", "x", "Arrival rate over the device's capacity (above 0, up to 1,000).", d.Overload, 0, 1_000, minIsAllowed: false);
        Option<double> serviceUs = NumericOption.Real("--service-us", "us", "The device's service time per offload in microseconds (above 0, up to 1,000,000).", d.ServiceTime.TotalMicroseconds, 0, 1_000_000, minIsAllowed: false);
        Option<int> lanes = NumericOption.Integer("--lanes", "n", "Offloads the device serves at once (1 to 4,096).", d.Lanes, 1, 4096);
        Option<int> loops = NumericOption.Integer("--loops", "n", "Loops the requests arrive on (1 to 64).", d.Loops, 1, 64);
        Option<double> errorRate = NumericOption.Real("--error-rate", "p", "Share of offloads the device fails (0 to 1).", d.ErrorRate, 0, 1);
        Option<double> deadlineShare = NumericOption.Real("--deadline-share", "p", "Share of requests whose caller gives up after --deadline-ms (0 to 1).", d.DeadlineShare, 0, 1);
        Option<double> deadlineMs = NumericOption.Real("--deadline-ms", "ms", "How long those callers wait (above 0, up to 60,000).", d.Deadline.TotalMilliseconds, 0, 60_000, minIsAllowed: false);
        Option<int> maxQueued = NumericOption.Integer("--max-queued", "n", "The device's bound on submissions waiting for ring space, per loop (0 to 1,000,000).", d.MaxQueuedSubmissions, 0, 1_000_000);
        var overflow = new Option<string>("--overflow")
        {
            Description = "Past that bound: reject (refuse the new submission) or shed-oldest (fail the longest-waiting one).",
            HelpName = "policy",
            DefaultValueFactory = _ => "reject",
        };
        overflow.AcceptOnlyFromAmong("reject", "shed-oldest");
        var quick = new Option<bool>("--quick") { Description = "Five seconds: checks that it runs and balances, not that memory stays flat." };
        var deadlock = new Option<bool>("--deadlock-one-loop")
        {
            Description = "Half-way through, block the last loop's thread until after the stop, as a sync-over-async wait would (needs --loops 2 or more).",
        };
        var command = new Command("soak", "Sustained overload with injected errors and cancellations: counts how every request ended, memory over time, and the final state.")
        {
            seconds, overload, serviceUs, lanes, loops, errorRate, deadlineShare, deadlineMs, maxQueued, overflow, quick, deadlock,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(deadlock) && r.GetValue(loops) < 2)
            {
                r.AddError("--deadlock-one-loop needs --loops 2 or more: one loop to block and one to keep serving.");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new SoakSettings(
                TimeSpan.FromSeconds(parseResult.GetValue(quick) ? 5 : parseResult.GetValue(seconds)),
                parseResult.GetValue(overload),
                TimeSpan.FromMicroseconds(parseResult.GetValue(serviceUs)),
                parseResult.GetValue(lanes),
                parseResult.GetValue(loops),
                parseResult.GetValue(errorRate),
                parseResult.GetValue(deadlineShare),
                TimeSpan.FromMilliseconds(parseResult.GetValue(deadlineMs)),
                parseResult.GetValue(overflow) == "shed-oldest" ? OffloadOverflow.ShedOldest : OffloadOverflow.Reject,
                parseResult.GetValue(maxQueued),
                parseResult.GetValue(deadlock));
            return RunAsync(settings, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(SoakSettings settings, CancellationToken cancellationToken)
    {
        Console.WriteLine("Interlude soak: sustained overload with injected errors and cancellations");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {settings.ArrivalRate:N0} requests/s arriving on {settings.Loops} loop(s) against a device serving {settings.Capacity:N0}/s "
            + $"({settings.Overload:G}x); {settings.ErrorRate:P0} injected errors; {settings.DeadlineShare:P0} of callers give up after "
            + $"{settings.Deadline.TotalMilliseconds:G} ms; past {settings.MaxQueuedSubmissions:N0} waiting: {settings.Overflow}; {settings.Duration.TotalSeconds:G} s."));
        Console.WriteLine();
        Console.WriteLine($"{"s",5} {"heap MiB",9} {"RSS MiB",8} {"queued",8} {"in flight",10}");
        SoakResult result;
        try
        {
            result = await new SoakRun(settings).RunAsync(
                s => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.At.TotalSeconds,5:F0} {s.HeapBytes / 1048576.0,9:F1} {s.ResidentBytes / 1048576.0,8:F1} {s.Queued,8:N0} {s.InFlight,10:N0}")),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interlude: cancelled.").ConfigureAwait(false);
            return 130;
        }

        SoakCounts c = result.Counts;
        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Arrived {c.Arrived:N0} (and {c.NotAdmitted:N0} turned away at the door: the loop was the bottleneck): completed {c.Completed:N0}, faulted {c.Faulted:N0}, cancelled {c.Cancelled:N0}, overloaded {c.Overloaded:N0}, "
            + $"unexpected {c.Unexpected:N0}{(c.FirstUnexpected is { } type ? $" (first: {type})" : string.Empty)}."));
        bool balanced = settings.DeadlockOneLoop ? result.BalancedWithAbandoned : result.Balanced;
        Console.WriteLine(settings.DeadlockOneLoop
            ? $"Every request ended exactly one way or was abandoned on the deadlocked loop: {(balanced ? "yes" : $"NO ({c.Arrived - c.Ended - result.Shutdown.Abandoned + 2:N0} unaccounted for)")}."
            : $"Every request ended exactly one way: {(balanced ? "yes" : $"NO ({c.Arrived - c.Ended:N0} unaccounted for)")}.");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Growth after the warm-up: managed heap's peaks {Signed(result.HeapGrowth)}, resident set {Signed(result.ResidentGrowth)} "
            + $"(target under 10%); peak resident set {result.PeakResidentBytes / 1048576.0:F1} MiB."));
        ShutdownReport stop = result.Shutdown;
        Console.WriteLine(
            $"Stop: drained {stop.Drained}, cancelled offloads {stop.CancelledOffloads:N0}, abandoned coroutines {stop.Abandoned:N0}, unresponsive loops {stop.UnresponsiveLoops}; "
            + $"returned after {result.StopTook.TotalMilliseconds:N0} ms (bound: drain {result.StopDrain.TotalMilliseconds:N0} ms + grace {LoopGroup.StopGrace.TotalMilliseconds:N0} ms).");
        return balanced && c.Unexpected == 0 ? 0 : 1;
    }

    private static string Signed(double share) => string.Create(CultureInfo.InvariantCulture, $"{(share >= 0 ? "+" : string.Empty)}{share:0.0%}");
}
