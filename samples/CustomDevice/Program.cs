using System.CommandLine;
using CustomDevice;
using Interlude;

// Races the built-in simulated accelerator against FlagDevice, a device written only against the public API,
// under the same load on the same loop, and prints the medians of alternating rounds and their ratios.
var offloadUs = new Option<double>("--offload-us") { Description = "Service time of every offload, in microseconds.", DefaultValueFactory = _ => 10 };
var concurrency = new Option<int>("--concurrency") { Description = "Coroutines submitting at once.", DefaultValueFactory = _ => 64 };
var rounds = new Option<int>("--rounds") { Description = "Rounds per device, alternating.", DefaultValueFactory = _ => 5 };
var quick = new Option<bool>("--quick") { Description = "Two short rounds per device: checks that it runs, not how fast." };
var root = new RootCommand("Races a device written on Interlude's public API against the built-in simulated accelerator.")
{
    offloadUs,
    concurrency,
    rounds,
    quick,
};
AddRange(offloadUs, 0, 100_000);
AddRange(concurrency, 1, 100_000);
AddRange(rounds, 1, 100);
root.SetAction(async parse =>
{
    bool isQuick = parse.GetValue(quick);
    var settings = new RaceSettings(
        TimeSpan.FromMicroseconds(parse.GetValue(offloadUs)),
        parse.GetValue(concurrency),
        isQuick ? 2 : parse.GetValue(rounds),
        isQuick ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(1),
        isQuick ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(300));
    return await RaceRunner.RunAsync(settings).ConfigureAwait(false);
});
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);

static void AddRange<T>(Option<T> option, T min, T max)
    where T : struct, IComparable<T>
    => option.Validators.Add(result =>
    {
        T value = result.GetValueOrDefault<T>();
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            result.AddError($"{option.Name} must be between {min} and {max}.");
        }
    });
