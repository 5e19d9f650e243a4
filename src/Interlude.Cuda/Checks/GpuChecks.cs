using Interlude.Cuda.Work;

namespace Interlude.Cuda.Checks;

/// <summary>
/// The correctness checks on a real GPU, each against a CPU reference or a known answer; the GPU tests and
/// <c>scripts/gpu-check.sh</c> run these same checks. Call from outside any loop; each makes its own loop group.
/// </summary>
internal static class GpuChecks
{
    internal const int SmallSize = 64;
    internal const int MediumSize = 512;
    internal const int MlpSeed = 20_260_301;
    internal static readonly int[] MlpSizes = [256, 512, 512, 64];
    internal const int MlpBatch = 32;

    /// <summary>The MLP check's tolerance: |gpu − cpu| ≤ 1e-3 · (1 + max |cpu|) per element (float32 over three layers of 256-512 terms).</summary>
    internal const double MlpRelativeTolerance = 1e-3;

    internal static IReadOnlyList<string> Names { get; } =
    [
        .. Enum.GetValues<CudaCompletionMode>().Select(m => $"null-kernel/{m}"),
        $"sgemm/{SmallSize}",
        $"sgemm/{MediumSize}",
        "mlp",
        "error-names",
    ];

    internal static async Task<IReadOnlyList<GpuCheckResult>> RunAllAsync(Action<string> log)
    {
        var results = new List<GpuCheckResult>();
        foreach (CudaCompletionMode mode in Enum.GetValues<CudaCompletionMode>())
        {
            results.Add(await Guard($"null-kernel/{mode}", () => NullKernelsAsync(mode)).ConfigureAwait(false));
            log(results[^1].ToString());
        }

        results.Add(await Guard($"sgemm/{SmallSize}", () => SgemmAsync(SmallSize)).ConfigureAwait(false));
        log(results[^1].ToString());
        results.Add(await Guard($"sgemm/{MediumSize}", () => SgemmAsync(MediumSize)).ConfigureAwait(false));
        log(results[^1].ToString());
        results.Add(await Guard("mlp", MlpAsync).ConfigureAwait(false));
        log(results[^1].ToString());
        results.Add(await Guard("error-names", () => Task.FromResult(ErrorNames())).ConfigureAwait(false));
        log(results[^1].ToString());
        return results;
    }

    /// <summary>64 coroutines × 100 null kernels each, and 1,000 one at a time: every one completes, on its own loop, in this mode.</summary>
    internal static async Task<GpuCheckResult> NullKernelsAsync(CudaCompletionMode mode)
    {
        using var device = new CudaDevice(new CudaDeviceOptions { Completion = mode });
        await using var loops = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false });
        int sequential = await loops.RunAsync(async () =>
        {
            int done = 0;
            for (int i = 0; i < 1000; i++)
            {
                await device.NullKernelAsync();
                done++;
            }

            return done;
        }).ConfigureAwait(false);
        var tasks = Enumerable.Range(0, 64).Select(_ => loops.RunAsync(async () =>
        {
            Loop home = Loop.Current!;
            int done = 0;
            for (int i = 0; i < 100; i++)
            {
                await device.NullKernelAsync();
                done += Loop.Current == home ? 1 : 0;
            }

            return done;
        })).ToList();
        int concurrent = (await Task.WhenAll(tasks).ConfigureAwait(false)).Sum();
        bool passed = sequential == 1000 && concurrent == 6400;
        return new GpuCheckResult($"null-kernel/{mode}", passed, $"sequential {sequential}/1000, concurrent on their own loop {concurrent}/6400");
    }

    internal static async Task<GpuCheckResult> SgemmAsync(int size)
    {
        using var device = new CudaDevice();
        await using var loops = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false });
        int m = size;
        int n = size + 8;
        int k = size - 8;
        var random = new Random(size);
        using var a = new PinnedBuffer<float>(device, m * k);
        using var b = new PinnedBuffer<float>(device, k * n);
        using var c = new PinnedBuffer<float>(device, m * n);
        Fill(a.Span, random);
        Fill(b.Span, random);
        using var da = new DeviceBuffer<float>(device, m * k);
        using var db = new DeviceBuffer<float>(device, k * n);
        using var dc = new DeviceBuffer<float>(device, m * n);
        await loops.RunAsync(async () =>
        {
            await device.SubmitAsync(
                static (stream, s) =>
                {
                    stream.CopyToDevice(s.a, s.da);
                    stream.CopyToDevice(s.b, s.db);
                    stream.Sgemm(s.da, s.db, s.dc, s.m, s.n, s.k);
                    stream.CopyToHost(s.dc, s.c);
                },
                (a, b, c, da, db, dc, m, n, k));
        }).ConfigureAwait(false);
        double[] expected = Gemm.Reference(a.Span, b.Span, m, n, k);
        double[] tolerance = Gemm.Tolerance(a.Span, b.Span, m, n, k);
        (int bad, double worst) = Compare(c.Span, expected, tolerance);
        return new GpuCheckResult(
            $"sgemm/{size}",
            bad == 0,
            $"C {m}x{n} = A {m}x{k} x B {k}x{n}: {bad} elements outside 2·k·u·Σ|a||b|, worst error/tolerance {worst:0.000}");
    }

    internal static async Task<GpuCheckResult> MlpAsync()
    {
        string path = Path.Combine(Path.GetTempPath(), $"interlude-mlp-{Environment.ProcessId}.bin");
        MlpModel.Generate(MlpSeed, MlpSizes).Save(path);
        try
        {
            MlpModel model = MlpModel.Load(path);
            using var device = new CudaDevice();
            await using var loops = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false });
            using var mlp = new CudaMlp(device, model, MlpBatch);
            var random = new Random(7);
            Fill(mlp.Input.Span, random);
            await loops.RunAsync(async () => await device.SubmitAsync(static (stream, m) => m.Enqueue(stream), mlp)).ConfigureAwait(false);
            double[] expected = model.Forward(mlp.Input.Span, MlpBatch);
            double scale = 1 + expected.Max(Math.Abs);
            double[] tolerance = [.. Enumerable.Repeat(MlpRelativeTolerance * scale, expected.Length)];
            (int bad, double worst) = Compare(mlp.Output.Span, expected, tolerance);
            return new GpuCheckResult(
                "mlp",
                bad == 0,
                $"{string.Join("-", MlpSizes)}, batch {MlpBatch}, seed {MlpSeed}, from {path}: {bad} outputs outside 1e-3·(1 + max|cpu|), worst error/tolerance {worst:0.000}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>An impossible allocation fails with the driver's own name for it.</summary>
    internal static GpuCheckResult ErrorNames()
    {
        using var device = new CudaDevice();
        try
        {
            using var huge = new DeviceBuffer<float>(device, 1L << 50);
            return new GpuCheckResult("error-names", false, "a 4 PiB allocation succeeded");
        }
        catch (CudaException e)
        {
            return new GpuCheckResult("error-names", e.Name == "CUDA_ERROR_OUT_OF_MEMORY" && e.Api == "cuMemAlloc_v2", e.Message);
        }
    }

    internal static (int Bad, double Worst) Compare(ReadOnlySpan<float> actual, double[] expected, double[] tolerance)
    {
        int bad = 0;
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double ratio = Math.Abs(actual[i] - expected[i]) / tolerance[i];
            worst = Math.Max(worst, double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
            bad += ratio <= 1 ? 0 : 1;
        }

        return (bad, worst);
    }

    private static void Fill(Span<float> values, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
    }

    private static async Task<GpuCheckResult> Guard(string name, Func<Task<GpuCheckResult>> check)
    {
        try
        {
            return await check().ConfigureAwait(false);
        }
        catch (Exception e) when (e is CudaException or CudaLibraryNotFoundException or InvalidOperationException or ObjectDisposedException)
        {
            return new GpuCheckResult(name, false, CudaDevice.Describe(e));
        }
    }
}
