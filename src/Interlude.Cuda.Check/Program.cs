using System.Runtime.InteropServices;
using Interlude.Cuda;
using Interlude.Cuda.Bench;
using Interlude.Cuda.Checks;

namespace Interlude.Cuda.Check;

/// <summary>
/// Runs the GPU correctness checks (each against a CPU reference) and the GPU benchmark, printing figures: what
/// scripts/gpu-check.sh publishes for a GPU machine without .NET. Exit codes: 0 every check passed, 1 a check
/// failed, 2 bad arguments, 3 no usable GPU.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage: interlude-gpu-check [--quick] [--checks-only] [--bench-only] [--json FILE]
          --quick        a short bench (rough figures); the checks are the same
          --checks-only  run only the correctness checks
          --bench-only   run only the benchmark
          --json FILE    also write the bench's rows as JSON Lines to FILE
        Libraries: libcuda.so.1 from the driver; NVRTC and cuBLAS from the system loader's path, CUDA_HOME/CUDA_PATH,
        /usr/local/cuda, or the CUDA pip wheels; INTERLUDE_CUDA_DRIVER, INTERLUDE_NVRTC and INTERLUDE_CUBLAS override.
        """;

    private static async Task<int> Main(string[] args)
    {
        bool quick = false;
        bool checks = true;
        bool bench = true;
        string? json = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--checks-only":
                    bench = false;
                    break;
                case "--bench-only":
                    checks = false;
                    break;
                case "--json" when i + 1 < args.Length:
                    json = args[++i];
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'.\n{Usage}");
                    return 2;
            }
        }

        string machine = $"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} CPUs, .NET {Environment.Version} (self-contained)";
        Console.WriteLine("Interlude GPU check");
        Console.WriteLine($"  {machine}");
        if (GpuBench.WhyNotRunnable("the GPU checks and benchmark") is { } why)
        {
            Console.Error.WriteLine(why);
            return GpuBench.NoGpuExitCode;
        }

        using (var device = new CudaDevice())
        {
            Console.WriteLine($"  GPU: {device.Name}, compute capability {device.ComputeCapability.Major}.{device.ComputeCapability.Minor}");
        }

        Console.WriteLine();
        bool allPassed = true;
        if (checks)
        {
            Console.WriteLine("Correctness checks (GPU against CPU references):");
            IReadOnlyList<GpuCheckResult> results = await GpuChecks.RunAllAsync(_ => { }).ConfigureAwait(false);
            foreach (GpuCheckResult result in results)
            {
                Console.WriteLine($"  {(result.Passed ? "PASS" : "FAIL")}  {result.Name}: {result.Detail}");
                allPassed &= result.Passed;
            }

            Console.WriteLine($"{results.Count(r => r.Passed)} of {results.Count} checks passed.");
            Console.WriteLine();
        }

        if (bench)
        {
            var gpuBench = new GpuBench(new GpuBenchSettings(quick));
            IReadOnlyList<GpuBenchRow> rows = await gpuBench.RunAsync(GpuBenchSettings.Sections, line => Console.Error.WriteLine($"  ... {line}"), CancellationToken.None).ConfigureAwait(false);
            GpuBenchReport.PrintTables(Console.Out, rows);
            GpuBenchReport.PrintRatios(Console.Out, rows);
            if (json is not null)
            {
                using var writer = new StreamWriter(json);
                GpuBenchReport.WriteJsonLines(writer, rows, machine);
                Console.WriteLine($"JSON: {Path.GetFullPath(json)}");
            }
        }

        return allPassed ? 0 : 1;
    }
}
