using Interlude.Tests.Infrastructure;

namespace Interlude.Inference.Tests.Infrastructure;

/// <summary>
/// A loop group and an inference device sized for a small shared machine: unpinned loops, one device thread that
/// sleeps soon after it runs out of work, no stall reports. The embedder and the tensor model are loaded on
/// first use.
/// </summary>
internal sealed class InferenceRig : IAsyncDisposable
{
    public static readonly TimeSpan IdleSpin = TimeSpan.FromMicroseconds(50);

    private readonly Action<TextEmbedderOptions>? _configureEmbedder;
    private TextEmbedder? _embedder;
    private InferenceModel? _model;

    public InferenceRig(
        WaitStrategy strategy,
        int loops = 1,
        Action<InferenceDeviceOptions>? configureDevice = null,
        Action<TextEmbedderOptions>? configureEmbedder = null)
    {
        Group = new LoopGroup(new LoopGroupOptions
        {
            LoopCount = loops,
            PinThreads = false,
            WaitStrategy = strategy,
            StallThreshold = TimeSpan.Zero,
        });
        try
        {
            Device = CreateDevice(configureDevice);
        }
        catch
        {
            Group.Dispose();
            throw;
        }

        _configureEmbedder = configureEmbedder;
    }

    public LoopGroup Group { get; }

    public InferenceDevice Device { get; }

    public Loop Loop => Group[0];

    /// <summary>all-MiniLM-L6-v2 as a text embedder, with the rig's embedder options.</summary>
    public TextEmbedder Embedder => _embedder ??= LoadEmbedder(Device, _configureEmbedder);

    /// <summary>all-MiniLM-L6-v2 through the tensor API, with the rig's embedder options as its batching options.</summary>
    public InferenceModel Model
    {
        get
        {
            if (_model is null)
            {
                var options = new TextEmbedderOptions();
                _configureEmbedder?.Invoke(options);
                _model = Device.LoadModel("minilm", MiniLmResources.Model, options);
            }

            return _model;
        }
    }

    public static InferenceDevice CreateDevice(Action<InferenceDeviceOptions>? configure = null)
    {
        var options = new InferenceDeviceOptions { IdleSpin = IdleSpin };
        configure?.Invoke(options);
        return new InferenceDevice(options);
    }

    public static TextEmbedder LoadEmbedder(InferenceDevice device, Action<TextEmbedderOptions>? configure = null)
    {
        var options = new TextEmbedderOptions();
        configure?.Invoke(options);
        return TextEmbedder.LoadMiniLM(device, options);
    }

    /// <summary>Runs <paramref name="body"/> as a coroutine on <paramref name="loop"/> (default: the first), checking it ends on that loop.</summary>
    public Task<T> OnLoopAsync<T>(Func<ValueTask<T>> body, Loop? loop = null)
    {
        loop ??= Loop;
        return loop.RunAsync(async () =>
        {
            T result = await body();
            if (!ReferenceEquals(Loop.Current, loop))
            {
                throw new InvalidOperationException("The coroutine did not resume on its own loop.");
            }

            return result;
        }).Guarded();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Group.StopAsync(TimeSpan.FromSeconds(5)).Guarded();
        }
        finally
        {
            Device.Dispose();
        }
    }
}
