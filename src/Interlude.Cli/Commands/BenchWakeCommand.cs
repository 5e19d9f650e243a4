using System.CommandLine;
using Interlude.Harness.Wake;

namespace Interlude.Cli.Commands;

/// <summary>Declares <c>interlude bench wake</c>: how fast each completion delivery mode resumes its waiter, and at what CPU cost.</summary>
internal static class BenchWakeCommand
{
    internal const string DefaultHtml = "interlude-wake.html";

    internal const string Notes = """
        Sections (all by default):
          ping        one operation in flight; completion (device timestamp just before it publishes) to continuation,
                      back to back and after idle gaps of 0, 50, 200 and 1,000 us (--gap-us), for each delivery mode:
                        raw-handoff          the floor: two spinning threads handing one cache line back and forth
                        poll                 the loop spins on its completion rings
                        naive-interrupt      await from a ThreadPool thread: the device's completion wakes a pool thread
                        interlude-interrupt  the loop arms and sleeps; the device wakes it only when armed; cross-core,
                                             and same-core (the device thread on the loop's core)
                        adaptive             Interlude's adaptive waiting
                        dispatcher           blocking threads woken by a per-core dispatcher (direct handoff)
                        blocking             blocking threads woken by the device directly
          primitives  wake primitives for plain threads (FastWakeEvent, ManualResetEventSlim, SemaphoreSlim, Monitor),
                      cross-core and same-core
          queues      one polling loop serving 1 to 1,024 completion queues: readiness summary against a linear scan
          adaptive    poll, interrupt and adaptive waiting over offered load (10 us of loop work per request, then a
                      20 us offload; --loads); load is that work's share of the core; latency is the offload's round
                      trip. Targets, checked at every load: adaptive p50 <= poll's + 2 us, and adaptive busy <=
                      max(interrupt's + 0.10, 0.25)
          timers      a sleeping loop's timer (Loop.Delay of 10, 30, 100 and 300 us): due time to continuation, with
                      the kernel's default timer slack (kernel-slack) and the loop's own (loop-slack,
                      LoopGroupOptions.TimerSlack), alternating
        busy is the waiting side's CPU time over the wall time (0 to 1); cpu us/op and csw/op are its CPU time and
        context switches per operation (getrusage), sleeps/op the waiting loop's sleeps, alloc B/op the process's
        managed allocation.

        Examples:
          interlude bench wake --quick
          interlude bench wake --sections ping,queues --json wake.jsonl --html wake.html
          interlude bench wake --sections ping --gap-us 20
          interlude bench wake --sections adaptive --loads 0.05,0.2,0.6
          interlude bench wake --sections adaptive --enter-polling-load 1
          interlude bench wake --sections timers
        """;

    internal static Command Create()
    {
        var sections = new Option<string[]>("--sections")
        {
            Description = $"Sections to run, comma-separated: {string.Join(", ", WakeBench.Sections)}.",
            HelpName = "list",
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
        };
        sections.Validators.Add(r =>
        {
            foreach (string name in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!WakeBench.Sections.Contains(name))
                {
                    r.AddError($"--sections: unknown section '{name}'; use {string.Join(", ", WakeBench.Sections)}.");
                }
            }
        });
        Option<int[]?> gaps = NumericOption.IntegerList(
            "--gap-us",
            "list",
            "Idle gaps before each completion in the ping and primitives sections, comma-separated microseconds (each 0 to "
                + $"1,000,000) [default: {string.Join(",", WakeBenchSettings.DefaultGapsUs)}].",
            0,
            1_000_000);
        Option<double[]?> loads = NumericOption.RealList(
            "--loads",
            "list",
            "Offered loads of the adaptive section, comma-separated fractions of the loop's core (each 0.01 to 0.95) "
                + $"[default: {string.Join(",", WakeBenchSettings.DefaultLoads.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)))}].",
            0.01,
            0.95);
        Option<double?> spinBudget = NumericOption.OptionalReal(
            "--spin-budget",
            "share",
            "The adaptive loop's spin budget in the adaptive section (AdaptiveWaitOptions.SpinBudget, 0 to 1) [default: the option's default].",
            0,
            1);
        Option<double?> enterPollingLoad = NumericOption.OptionalReal(
            "--enter-polling-load",
            "share",
            "The adaptive loop's busy fraction at which it turns to polling, in the adaptive section (AdaptiveWaitOptions.EnterPollingLoad, "
                + "0 to 1; 1 keeps the spin budget at every load) [default: the option's default].",
            0,
            1);
        var quick = new Option<bool>("--quick") { Description = "Short rows and fewer queue counts: a few seconds in all; figures are rough." };
        Option<FileInfo?> json = OutputFile.Create("--json", "Write one JSON object per row (JSON Lines) to this file.");
        Option<FileInfo?> html = OutputFile.Create("--html", $"Write the HTML report here (default: {DefaultHtml}).");
        var command = new Command("wake", "Measure completion delivery: latency from a device's completion to the waiter running again, and the waiting core's CPU, per delivery mode.")
        {
            sections,
            gaps,
            loads,
            spinBudget,
            enterPollingLoad,
            quick,
            json,
            html,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            IReadOnlyList<string> chosen = parseResult.GetValue(sections) is { Length: > 0 } names ? names : WakeBench.Sections;
            return RunAsync(
                chosen, parseResult.GetValue(quick), parseResult.GetValue(gaps), parseResult.GetValue(loads), parseResult.GetValue(spinBudget), parseResult.GetValue(enterPollingLoad), parseResult.GetValue(json), parseResult.GetValue(html) ?? new FileInfo(DefaultHtml), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        IReadOnlyCollection<string> sections, bool quick, IReadOnlyList<int>? gapsUs, IReadOnlyList<double>? loads, double? spinBudget, double? enterPollingLoad, FileInfo? json, FileInfo html,
        CancellationToken cancellationToken)
    {
        var bench = new WakeBench(quick, gapsUs is { Count: > 0 } ? gapsUs : null, loads is { Count: > 0 } ? loads : null, spinBudget, enterPollingLoad);
        Console.WriteLine("Interlude bench wake: completion delivery, wake-up latency and the waiting core's CPU");
        Console.WriteLine($"  {bench.Machine}");
        if (!bench.Settings.HasTwoCores)
        {
            Console.WriteLine("  Only one core is available: cross-core rows are skipped.");
        }

        Console.WriteLine();
        WakeBenchResult result = await bench.RunAsync(sections, line => Console.Error.WriteLine($"  ... {line}"), cancellationToken).ConfigureAwait(false);
        if (result.Interrupted)
        {
            Console.Error.WriteLine("Interrupted: reporting the rows measured so far.");
        }

        foreach (string note in result.Notes)
        {
            Console.WriteLine($"  Note: {note}");
        }

        Console.WriteLine();
        WakeReport.PrintTables(Console.Out, result.Rows);
        if (result.OtherProcessesCores is { } others)
        {
            Console.WriteLine($"Other processes used {others:0.00} cores' worth of CPU during the run.");
            Console.WriteLine();
        }

        WakeReport.PrintRatios(Console.Out, result.Rows);
        if (json is not null)
        {
            WakeReport.WriteJson(json, result.Rows);
            Console.WriteLine($"JSON: {json.FullName}");
        }

        WakeHtmlReport.Write(html, result.Rows, bench.Machine, "interlude " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
        Console.WriteLine($"HTML report: {html.FullName}");
        return cancellationToken.IsCancellationRequested ? 130 : 0;
    }
}
