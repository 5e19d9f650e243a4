using InferenceServer;
using Interlude.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Interlude.InferenceServer.Tests;

public sealed class SettingsTests
{
    [Fact]
    public void The_command_line_sets_the_server_and_refuses_bad_values_naming_the_switch()
    {
        InferenceServerSettings settings = Parse("--transport", "sockets", "--loops", "2", "--max-batch", "1", "--max-queue-delay-us", "500", "--execution-provider", "cuda", "--port", "0");

        Assert.False(settings.UseInterlude);
        Assert.Equal(2, settings.Loops);
        Assert.Equal(1, settings.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMicroseconds(500), settings.MaxQueueDelay);
        Assert.Equal(InferenceExecutionProvider.Cuda, settings.ExecutionProvider);
        Assert.Equal(0, settings.Port);
        Assert.Contains("--transport", Assert.Throws<ArgumentException>(() => Parse("--transport", "pigeons")).Message, StringComparison.Ordinal);
        Assert.Contains("--max-batch", Assert.Throws<ArgumentException>(() => Parse("--max-batch", "0")).Message, StringComparison.Ordinal);
        Assert.Contains("--execution-provider", Assert.Throws<ArgumentException>(() => Parse("--execution-provider", "tpu")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_cuda_without_its_build_runs_on_the_cpu_and_says_why()
    {
        await using InferenceServerHost server = InferenceServerHost.Build(
            new InferenceServerSettings { Port = 0, Loops = 1, ExecutionProvider = InferenceExecutionProvider.Cuda, ServeFaces = false },
            configure: builder => builder.Logging.ClearProviders());

        Assert.Equal(InferenceExecutionProvider.Cpu, server.Device.ExecutionProvider);
        Assert.Contains("CUDA", server.Device.ExecutionProviderFallbackReason, StringComparison.Ordinal);
    }

    private static InferenceServerSettings Parse(params string[] args)
        => InferenceServerSettings.FromConfiguration(new ConfigurationBuilder().AddCommandLine(args).Build());
}
