using Interlude.Cuda.Checks;
using Interlude.Cuda.Work;
using Xunit;

namespace Interlude.Cuda.Tests;

/// <summary>The parts of the GPU work that run on the CPU: argument mapping, references, tolerances, the model file.</summary>
public sealed class WorkTests
{
    [Fact]
    public void Row_major_gemm_is_asked_of_column_major_cublas_as_the_transposed_product()
    {
        // C (2 x 3) = A (2 x 4) x B (4 x 3): cuBLAS computes the 3 x 2 column-major result, B first.
        Assert.Equal((3, 2, 4, 3, 4, 3), Gemm.ColumnMajorArguments(2, 3, 4));
    }

    [Fact]
    public void The_cpu_reference_multiplies_row_major_matrices()
    {
        float[] a = [1, 2, 3, 4, 5, 6];       // 2 x 3
        float[] b = [7, 8, 9, 10, 11, 12];    // 3 x 2
        Assert.Equal([58.0, 64, 139, 154], Gemm.Reference(a, b, 2, 2, 3));
    }

    [Fact]
    public void The_gemm_tolerance_grows_with_k_and_the_magnitudes_and_counts_only_real_misses()
    {
        float[] a = [1, -2, 3, 4, 5, -6];
        float[] b = [7, 8, 9, 10, 11, 12];
        double[] tolerance = Gemm.Tolerance(a, b, 2, 2, 3);
        double u = Math.Pow(2, -24);
        Assert.Equal(2 * 3 * u * (7 + 18 + 33), tolerance[0], 12);

        double[] expected = Gemm.Reference(a, b, 2, 2, 3);
        float[] close = expected.Select(e => (float)e).ToArray();
        float[] off = [.. close];
        off[3] += 0.01f;
        Assert.Equal(0, GpuChecks.Compare(close, expected, tolerance).Bad);
        Assert.Equal(1, GpuChecks.Compare(off, expected, tolerance).Bad);
        Assert.Equal(1, GpuChecks.Compare([float.NaN, close[1], close[2], close[3]], expected, tolerance).Bad);
    }

    [Fact]
    public void Nvrtc_compiles_for_the_gpu_s_own_architecture_and_falls_back_to_its_virtual_one()
    {
        Assert.Contains("--gpu-architecture=sm_90", KernelCompiler.CubinOptions((9, 0)));
        Assert.Contains("--gpu-architecture=sm_86", KernelCompiler.CubinOptions((8, 6)));
        Assert.Contains("--gpu-architecture=compute_90", KernelCompiler.PtxOptions((9, 0)));
    }

    [Fact]
    public void The_built_in_kernels_are_declared_with_c_linkage_under_the_names_the_device_loads()
    {
        foreach (string name in new[] { "interlude_null", "interlude_spin", "interlude_bias_activation" })
        {
            Assert.Contains($"extern \"C\" __global__ void {name}(", BuiltInKernels.Source, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_model_generated_from_a_seed_is_the_same_every_time_and_survives_its_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"interlude-mlp-test-{Guid.NewGuid():N}.bin");
        try
        {
            MlpModel model = MlpModel.Generate(5, 16, 32, 4);
            model.Save(path);
            MlpModel loaded = MlpModel.Load(path);

            Assert.Equal(2, loaded.Layers.Count);
            Assert.Equal((16, 4), (loaded.Inputs, loaded.Outputs));
            Assert.Equal(MlpModel.Generate(5, 16, 32, 4).Layers[1].Weights, loaded.Layers[1].Weights);
            Assert.NotEqual(MlpModel.Generate(6, 16, 32, 4).Layers[0].Weights, loaded.Layers[0].Weights);
            float[] input = Enumerable.Range(0, 2 * 16).Select(i => i / 10f).ToArray();
            Assert.Equal(model.Forward(input, 2), loaded.Forward(input, 2));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_cpu_forward_pass_applies_relu_between_layers_and_not_after_the_last()
    {
        var model = new MlpModel(
        [
            new MlpLayer(2, 2, [1, -1, 1, -1], [0, 0]),   // h = relu([x0 + x1, -(x0 + x1)])
            new MlpLayer(2, 1, [1, 1], [-5]),              // y = h0 + h1 - 5
        ]);

        Assert.Equal([-2.0], model.Forward([1, 2], 1));     // h = [3, 0]
        Assert.Equal([-2.0], model.Forward([-1, -2], 1));   // h = [0, 3]
    }

    [Fact]
    public void Layers_that_do_not_chain_and_files_that_are_not_models_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new MlpModel([new MlpLayer(2, 3, new float[6], new float[3]), new MlpLayer(4, 1, new float[4], new float[1])]));
        string path = Path.Combine(Path.GetTempPath(), $"interlude-not-a-model-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllText(path, "hello, world");
            Assert.Throws<InvalidDataException>(() => MlpModel.Load(path));
            MlpModel.Generate(1, 8, 8).Save(path);
            byte[] whole = File.ReadAllBytes(path);
            File.WriteAllBytes(path, whole[..^4]);
            Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => MlpModel.Load(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
