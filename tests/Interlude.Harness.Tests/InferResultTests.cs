using Interlude.Harness.Inference;
using Interlude.Harness.Measurement;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Tls;
using Xunit;

namespace Interlude.Harness.Tests;

/// <summary><c>bench infer</c>'s arithmetic: a phase's figures from what was read around it, the batch sizes, and the ratios between modes.</summary>
public sealed class InferResultTests
{
    [Fact]
    public void A_phase_counts_only_2xx_per_second_and_leaves_the_device_thread_out_of_the_app_cpu()
    {
        (LatencyHistogram latencies, long notOk) = H2loadLog.Parse(H2loadFixtures.GatewayLog);
        H2loadResult summary = TlsSamples.H2load(seconds: 0.5, succeeded: 14);

        InferLoadResult result = InferLoadResult.From(
            summary, latencies, notOk, wallSeconds: 0.6, processCpu: TimeSpan.FromMilliseconds(30), deviceCpu: TimeSpan.FromMilliseconds(12),
            deviceBusy: TimeSpan.FromMilliseconds(9), batchesBefore: [0, 5, 1], batchesAfter: [0, 9, 1, 2], offeredPerSecond: 20);

        Assert.Equal(14, result.Requests);
        Assert.Equal(12, result.Succeeded);
        Assert.Equal(2, result.Failed);
        Assert.Equal(12 / 0.5, result.RequestsPerSecond, 9);
        Assert.InRange(result.P50Us, 7_000, 7_200);
        Assert.InRange(result.P99Us, 18_700, 18_900);
        Assert.True(result.P99Us <= result.P999Us);
        if (ResourceUsage.IsAvailable)
        {
            Assert.Equal(18_000.0 / 12, result.AppCpuUsPerRequest, 6);
        }

        Assert.Equal(0.012 / 0.6, result.DeviceCpuUtilization!.Value, 9);
        Assert.Equal(0.009 / 0.6, result.DeviceUtilization!.Value, 9);
        Assert.Equal([0L, 4, 0, 2], result.BatchSizeCounts);
        Assert.Equal((4 + 3 * 2) / 6.0, result.AverageBatchSize, 9);
        Assert.Equal(20, result.OfferedPerSecond);
    }

    [Fact]
    public void Without_a_device_the_whole_process_is_the_app_and_there_is_no_utilization_or_batch()
    {
        (LatencyHistogram latencies, long notOk) = H2loadLog.Parse(H2loadFixtures.GatewayLog);

        InferLoadResult result = InferLoadResult.From(
            TlsSamples.H2load(seconds: 1, succeeded: 14), latencies, notOk, 1, TimeSpan.FromMilliseconds(28), null, null, [], [], null);

        if (ResourceUsage.IsAvailable)
        {
            Assert.Equal(28_000.0 / (latencies.Count + notOk), result.AppCpuUsPerRequest, 6);
        }

        Assert.Null(result.DeviceUtilization);
        Assert.Null(result.DeviceCpuUtilization);
        Assert.Null(result.OfferedPerSecond);
        Assert.Empty(result.BatchSizeCounts);
        Assert.True(double.IsNaN(result.AverageBatchSize));
    }

    [Fact]
    public void The_batch_size_difference_drops_trailing_zeros_and_reads_missing_elements_as_zero()
    {
        Assert.Equal([0L, 3], InferLoadResult.Difference([0, 2, 4], [0, 5, 4]));
        Assert.Equal([0L, 1, 0, 7], InferLoadResult.Difference([0, 1], [0, 2, 0, 7]));
        Assert.Empty(InferLoadResult.Difference([0, 2], [0, 2]));
    }

    [Fact]
    public void The_servers_batch_sizes_object_becomes_a_histogram_by_size()
    {
        long[] histogram = ModelStatsJson.ParseBatchSizes("""{"model":"m","batches":9,"batch_sizes":{"1":4,"3":2,"12":3},"queue_delay_mean_us":0}""");

        Assert.Equal(13, histogram.Length);
        Assert.Equal(4, histogram[1]);
        Assert.Equal(2, histogram[3]);
        Assert.Equal(3, histogram[12]);
        Assert.Equal(9, histogram.Sum());
        Assert.Empty(ModelStatsJson.ParseBatchSizes("""{"batch_sizes":{}}"""));
        Assert.Throws<FormatException>(() => ModelStatsJson.ParseBatchSizes("""{"batches":0}"""));
        Assert.Throws<FormatException>(() => ModelStatsJson.ParseBatchSizes("""{"batch_sizes":{"zero":1}}"""));
    }

    [Fact]
    public void Ratios_compare_batching_with_aspnet_ort_and_interlude_with_the_thread_pool()
    {
        IReadOnlyList<InferRatio> ratios = InferRatio.Compute(InferSamples.All(), TimeSpan.FromMicroseconds(500));

        InferRatio throughput = ratios.Single(r => r.Name == "batching_to_aspnet_throughput");
        Assert.Equal(3, throughput.Value, 9);
        Assert.True(throughput.Met);
        InferRatio p99 = ratios.Single(r => r.Name == "batching_to_aspnet_p99");
        Assert.Equal(0.5, p99.Value, 9);
        Assert.True(p99.Met);
        Assert.Equal(1.5, ratios.Single(r => r.Name == "interlude_to_threadpool_throughput").Value, 9);
        InferRatio cpu = ratios.Single(r => r.Name == "interlude_to_threadpool_cpu");
        Assert.Equal(0.5, cpu.Value, 9);
        Assert.True(cpu.Met);
        InferRatio p50 = ratios.Single(r => r.Name == "open_batching_minus_interlude_p50_us");
        Assert.Equal(300, p50.Value, 9);
        Assert.Equal(500, p50.Target);
        Assert.True(p50.Met);
    }

    [Fact]
    public void A_p50_difference_beyond_the_queue_delay_is_not_met_and_a_missing_mode_gives_no_value()
    {
        List<InferModeResult> results = [.. InferSamples.All().Where(r => r.Mode != InferModes.AspNetOrt)];

        IReadOnlyList<InferRatio> ratios = InferRatio.Compute(results, TimeSpan.Zero);

        Assert.False(ratios.Single(r => r.Name == "open_batching_minus_interlude_p50_us").Met);
        InferRatio throughput = ratios.Single(r => r.Name == "batching_to_aspnet_throughput");
        Assert.True(double.IsNaN(throughput.Value));
        Assert.Null(throughput.Met);
    }

    [Fact]
    public void The_open_loop_rate_follows_batching_or_without_it_interlude()
    {
        var closed = new Dictionary<string, InferLoadResult>
        {
            [InferModes.AspNetOrt] = InferSamples.Load(400, 1000, 100, device: null),
            [InferModes.Interlude] = InferSamples.Load(120, 1000, 100),
            [InferModes.InterludeBatching] = InferSamples.Load(300, 1000, 100),
        };

        Assert.Equal(150, InferBench.OpenLoopRate(closed, 0.5));
        closed.Remove(InferModes.InterludeBatching);
        Assert.Equal(60, InferBench.OpenLoopRate(closed, 0.5));
        closed.Remove(InferModes.Interlude);
        Assert.Equal(200, InferBench.OpenLoopRate(closed, 0.5));
        Assert.True(double.IsNaN(InferBench.OpenLoopRate(new Dictionary<string, InferLoadResult>(), 0.5)));
    }

    [Fact]
    public void Ratios_are_computed_per_model_from_that_models_modes_only()
    {
        IReadOnlyList<InferModeResult> embed = InferSamples.All();
        List<InferModeResult> results = [.. embed, .. embed.Where(r => r.Mode != InferModes.InterludeBatching).Select(r => r with { Model = InferModels.Detect })];

        IReadOnlyList<InferRatio> ratios = InferRatio.Compute(results, TimeSpan.FromMicroseconds(500));

        Assert.Equal([InferModels.Embed, InferModels.Detect], ratios.Select(r => r.Model).Distinct());
        Assert.Equal(3, ratios.Single(r => r.Model == InferModels.Embed && r.Name == "batching_to_aspnet_throughput").Value);
        Assert.Null(ratios.Single(r => r.Model == InferModels.Detect && r.Name == "batching_to_aspnet_throughput").Met);
        Assert.Equal(1.5, ratios.Single(r => r.Model == InferModels.Detect && r.Name == "interlude_to_threadpool_throughput").Value);
    }
}
