using Interlude.Inference.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Inference.Tests;

public sealed class DeviceTests
{
    [Fact]
    public async Task AskingForCudaWithoutItFallsBackToTheCpuAndSaysWhy()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block, configureDevice: o => o.ExecutionProvider = InferenceExecutionProvider.Cuda);

        // The test project uses ONNX Runtime's CPU build, which has no CUDA provider.
        Assert.Equal(InferenceExecutionProvider.Cpu, rig.Device.ExecutionProvider);
        Assert.NotNull(rig.Device.ExecutionProviderFallbackReason);
        Assert.Contains("CUDA execution provider could not be loaded", rig.Device.ExecutionProviderFallbackReason);
        Assert.Contains("runs its models on the CPU", rig.Device.ExecutionProviderFallbackReason);

        float[] embedding = await rig.OnLoopAsync(() => rig.Embedder.EmbedAsync(Texts.Mixed[0]));
        Reference.Close(Reference.Embedding(rig.Embedder.Tokenize(Texts.Mixed[0])), embedding);
    }

    [Fact]
    public void RequiringCudaWithoutItRefusesToStartWithAClearMessage()
    {
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => InferenceRig.CreateDevice(o =>
        {
            o.ExecutionProvider = InferenceExecutionProvider.Cuda;
            o.RequireExecutionProvider = true;
        }));

        Assert.Contains("CUDA execution provider could not be loaded", error.Message);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void ACpuDeviceHasNoFallbackToReport()
    {
        using InferenceDevice device = InferenceRig.CreateDevice();

        Assert.Equal(InferenceExecutionProvider.Cpu, device.ExecutionProvider);
        Assert.Null(device.ExecutionProviderFallbackReason);
        Assert.Equal(1, device.ThreadCount);
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceRig.CreateDevice(o => o.IntraOpThreads = 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceRig.CreateDevice(o => o.CudaDeviceId = -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextEmbedderOptions { MaxBatchSize = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextEmbedderOptions { MaxBatchTokens = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextEmbedderOptions { MaxQueueDelay = TimeSpan.FromTicks(-1) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextEmbedderOptions { MaxSequenceLength = 513 }.Validate());

        using InferenceDevice device = InferenceRig.CreateDevice();
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceRig.LoadEmbedder(device, o => o.MaxSequenceLength = 1));
    }

    [Fact]
    public async Task ThreadStatisticsCountBatchesAndBusyTimeOnThePinnedThread()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block, configureDevice: o => o.Cores = [0]);
        TextEmbedder embedder = rig.Embedder;

        await rig.OnLoopAsync(() => embedder.EmbedAsync(Texts.Mixed));
        int workThread = await rig.Device.SubmitAsync(static _ => Environment.CurrentManagedThreadId, 0).Guarded();

        InferenceThreadStatistics thread = Assert.Single(rig.Device.GetThreadStatistics());
        Assert.Equal(0, thread.Index);
        Assert.Equal(0, thread.Core);
        Assert.Equal(workThread, thread.ManagedThreadId);
        Assert.InRange(thread.Batches, 1, Texts.Mixed.Length);
        Assert.Equal(Texts.Mixed.Length, thread.Requests);
        Assert.Equal(1, thread.WorkFunctionsRun);
        Assert.True(thread.BusyTime > TimeSpan.Zero);

        InferenceModelStatistics model = embedder.GetStatistics();
        Assert.Equal(thread.Batches, model.Batches);
        Assert.True(model.TotalRunTime > TimeSpan.Zero);
        Assert.True(model.TotalLatency >= model.MaxLatency);
        Assert.True(model.AverageBatchSize >= 1);
        Assert.Contains("all-MiniLM-L6-v2", model.ToString());
    }

    [Fact]
    public async Task ModelsCannotBeLoadedOnADisposedDevice()
    {
        await using var rig = new InferenceRig(WaitStrategy.Block);
        rig.Device.Dispose();

        Assert.Throws<ObjectDisposedException>(() => rig.Device.LoadModel("minilm", MiniLmResources.Model));
        Assert.Throws<ObjectDisposedException>(() => InferenceRig.LoadEmbedder(rig.Device));
    }
}
