using Interlude.Cuda.Checks;
using Interlude.Cuda.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cuda.Tests;

/// <summary>On a real GPU: the same checks scripts/gpu-check.sh runs, each against a CPU reference. Skipped, saying why, without one.</summary>
public sealed class GpuTests
{
    [GpuFact]
    public async Task Null_kernels_complete_on_their_own_loop_in_the_mapped_flag_mode() =>
        AssertPassed(await GpuChecks.NullKernelsAsync(CudaCompletionMode.MappedFlag).Guarded());

    [GpuFact]
    public async Task Null_kernels_complete_on_their_own_loop_in_the_event_query_mode() =>
        AssertPassed(await GpuChecks.NullKernelsAsync(CudaCompletionMode.EventQuery).Guarded());

    [GpuFact]
    public async Task Null_kernels_complete_on_their_own_loop_in_the_blocking_event_mode() =>
        AssertPassed(await GpuChecks.NullKernelsAsync(CudaCompletionMode.BlockingEvent).Guarded());

    [GpuFact]
    public async Task Null_kernels_complete_on_their_own_loop_in_the_host_callback_mode() =>
        AssertPassed(await GpuChecks.NullKernelsAsync(CudaCompletionMode.HostCallback).Guarded());

    [GpuFact]
    public async Task A_small_sgemm_matches_the_cpu_reference() => AssertPassed(await GpuChecks.SgemmAsync(GpuChecks.SmallSize).Guarded());

    [GpuFact]
    public async Task A_medium_sgemm_matches_the_cpu_reference() => AssertPassed(await GpuChecks.SgemmAsync(GpuChecks.MediumSize).Guarded());

    [GpuFact]
    public async Task The_mlp_from_its_file_matches_the_cpu_reference() => AssertPassed(await GpuChecks.MlpAsync().Guarded());

    [GpuFact]
    public void A_failed_allocation_is_named_by_the_driver() => AssertPassed(GpuChecks.ErrorNames());

    private static void AssertPassed(GpuCheckResult result) => Assert.True(result.Passed, $"{result.Name}: {result.Detail}");
}
