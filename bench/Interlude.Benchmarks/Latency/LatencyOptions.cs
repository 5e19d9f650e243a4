using System.Globalization;

namespace Interlude.Benchmarks.Latency;

/// <summary>Command line of the <c>latency</c> harness.</summary>
internal sealed class LatencyOptions
{
    internal const string Usage = """
        usage: latency [options]
          --samples N          measured samples per strategy (default 20000)
          --warmup N           warm-up samples per strategy, discarded (default 2000)
          --warmup-ms N        keep warming up for at least this long, so tiered JIT settles (default 300)
          --gap-us LIST        comma-separated gaps between offloads in microseconds, one table each (default 0,50)
          --service-us N       device time per offload: the work function spins this long before it takes its
                               timestamp, so a blocking loop is asleep when the completion lands (default 0)
          --gap-mode MODE      delay (Loop.Delay: the loop idles through the gap) or spin (default delay)
          --strategies LIST    comma-separated: poll,block,adaptive (default all three)
          --no-baseline        leave out the raw handoff floor (two pinned threads and one shared cache line)
          --rounds N           repeat every table N times (default 1)
          --loop-core N        core of the loop (default: first allowed core)
          --device-core N      core of the device worker (default: second allowed core)
        """;

    internal int Samples { get; private set; } = 20_000;

    internal int Warmup { get; private set; } = 2_000;

    internal TimeSpan WarmupTime { get; private set; } = TimeSpan.FromMilliseconds(300);

    internal IReadOnlyList<int> GapsUs { get; private set; } = [0, 50];

    internal GapMode GapMode { get; private set; } = GapMode.Delay;

    internal int ServiceUs { get; private set; }

    internal IReadOnlyList<WaitStrategy> Strategies { get; private set; } = [WaitStrategy.Poll, WaitStrategy.Block, WaitStrategy.Adaptive];

    internal int Rounds { get; private set; } = 1;

    internal bool Baseline { get; private set; } = true;

    internal int LoopCore { get; private set; } = BenchmarkCores.Loop;

    internal int DeviceCore { get; private set; } = BenchmarkCores.Device;

    internal bool Help { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> on anything it does not understand.</summary>
    internal static LatencyOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LatencyOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                options.Help = true;
                continue;
            }

            if (name == "--no-baseline")
            {
                options.Baseline = false;
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"Option {name} needs a value.");
            }

            string value = args[++i];
            switch (name)
            {
                case "--samples":
                    options.Samples = Positive(name, value);
                    break;
                case "--warmup":
                    options.Warmup = NonNegative(name, value);
                    break;
                case "--warmup-ms":
                    options.WarmupTime = TimeSpan.FromMilliseconds(NonNegative(name, value));
                    break;
                case "--gap-us":
                    options.GapsUs = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(v => NonNegative(name, v))
                        .ToArray();
                    if (options.GapsUs.Count == 0)
                    {
                        throw new ArgumentException("--gap-us needs at least one gap.");
                    }

                    break;
                case "--service-us":
                    options.ServiceUs = NonNegative(name, value);
                    break;
                case "--gap-mode":
                    options.GapMode = value.ToLowerInvariant() switch
                    {
                        "delay" => GapMode.Delay,
                        "spin" => GapMode.Spin,
                        _ => throw new ArgumentException($"Unknown gap mode '{value}' (delay or spin)."),
                    };
                    break;
                case "--strategies":
                    options.Strategies = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(ParseStrategy)
                        .ToArray();
                    if (options.Strategies.Count == 0)
                    {
                        throw new ArgumentException("--strategies needs at least one strategy.");
                    }

                    break;
                case "--rounds":
                    options.Rounds = Positive(name, value);
                    break;
                case "--loop-core":
                    options.LoopCore = NonNegative(name, value);
                    break;
                case "--device-core":
                    options.DeviceCore = NonNegative(name, value);
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name}.");
            }
        }

        return options;
    }

    private static WaitStrategy ParseStrategy(string value) => value.ToLowerInvariant() switch
    {
        "poll" => WaitStrategy.Poll,
        "block" => WaitStrategy.Block,
        "adaptive" => WaitStrategy.Adaptive,
        _ => throw new ArgumentException($"Unknown strategy '{value}' (poll, block or adaptive)."),
    };

    private static int Positive(string name, string value)
    {
        int parsed = NonNegative(name, value);
        return parsed > 0 ? parsed : throw new ArgumentException($"{name} must be positive.");
    }

    private static int NonNegative(string name, string value)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) || parsed < 0)
        {
            throw new ArgumentException($"{name} needs a non-negative integer, not '{value}'.");
        }

        return parsed;
    }
}
