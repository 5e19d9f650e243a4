using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace InferenceServer;

/// <summary>
/// How <see cref="InferenceServerHost"/> builds the server: the transport, the loops, the device's threads and the
/// batching policy. <see cref="FromConfiguration"/> reads the command line's <c>--transport</c>, <c>--loops</c>,
/// <c>--device-threads</c>, <c>--max-batch</c>, <c>--max-queue-delay-us</c>, <c>--max-batch-tokens</c>,
/// <c>--execution-provider</c> and <c>--port</c>; code may change anything after, as the tests and the benchmark do.
/// </summary>
public sealed class InferenceServerSettings
{
    /// <summary>Whether connections are served on Interlude loops (true, the default) or Kestrel's sockets.</summary>
    public bool UseInterlude { get; set; } = true;

    /// <summary>Interlude loops; null for one per core.</summary>
    public int? Loops { get; set; }

    /// <summary>Cores to pin the loops to; null leaves them unpinned.</summary>
    public IReadOnlyList<int>? LoopCores { get; set; }

    /// <summary>Device threads running ONNX Runtime sessions. Defaults to 1.</summary>
    public int DeviceThreads { get; set; } = 1;

    /// <summary>Cores to pin the device threads to; null leaves them unpinned.</summary>
    public IReadOnlyList<int>? DeviceCores { get; set; }

    /// <summary>
    /// Where ONNX Runtime runs the models: the CPU (the default) or CUDA, which needs the GPU build of ONNX Runtime and a
    /// GPU; without them the device says why in <c>/v2/device/stats</c> and the log, and runs on the CPU.
    /// </summary>
    public Interlude.Inference.InferenceExecutionProvider ExecutionProvider { get; set; } = Interlude.Inference.InferenceExecutionProvider.Cpu;

    /// <summary>The most requests one batched run of the text model takes; 1 turns batching off. Defaults to 32.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>The most padded tokens one batched run of the text model takes. Defaults to 8,192.</summary>
    public int MaxBatchTokens { get; set; } = 8192;

    /// <summary>How long a request may wait for others to batch with while the device is idle. Defaults to zero.</summary>
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The port on 127.0.0.1; 0 picks a free one. Defaults to 8000 (KServe's).</summary>
    public int Port { get; set; } = 8000;

    /// <summary>Whether the face model is served when its files are there (scripts/fetch-models.sh). Defaults to true.</summary>
    public bool ServeFaces { get; set; } = true;

    /// <summary>Limits of the endpoints.</summary>
    public InferenceServerOptions Limits { get; set; } = new();

    /// <summary>The settings the command line and configuration give; unknown values are refused naming the switch.</summary>
    public static InferenceServerSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new InferenceServerSettings();
        settings.UseInterlude = configuration["transport"] switch
        {
            null or "interlude" => true,
            "sockets" => false,
            string other => throw new ArgumentException($"--transport {other}: use interlude or sockets."),
        };
        settings.Loops = Int(configuration, "loops", null, 1, 1024);
        settings.DeviceThreads = Int(configuration, "device-threads", 1, 1, 256)!.Value;
        settings.MaxBatchSize = Int(configuration, "max-batch", settings.MaxBatchSize, 1, 4096)!.Value;
        settings.MaxBatchTokens = Int(configuration, "max-batch-tokens", settings.MaxBatchTokens, 1, 1 << 24)!.Value;
        settings.MaxQueueDelay = TimeSpan.FromMicroseconds(Int(configuration, "max-queue-delay-us", 0, 0, 10_000_000)!.Value);
        settings.Port = Int(configuration, "port", settings.Port, 0, 65535)!.Value;
        settings.ExecutionProvider = configuration["execution-provider"] switch
        {
            null or "cpu" => Interlude.Inference.InferenceExecutionProvider.Cpu,
            "cuda" => Interlude.Inference.InferenceExecutionProvider.Cuda,
            string other => throw new ArgumentException($"--execution-provider {other}: use cpu or cuda."),
        };
        return settings;
    }

    private static int? Int(IConfiguration configuration, string key, int? absent, int min, int max)
    {
        string? text = configuration[key];
        if (text is null)
        {
            return absent;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new ArgumentException($"--{key} {text}: expected a whole number from {min} to {max}.");
        }

        return value;
    }
}
