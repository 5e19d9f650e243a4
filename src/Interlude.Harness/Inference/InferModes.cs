namespace Interlude.Harness.Inference;

/// <summary>The ways <c>interlude bench infer</c> serves <c>POST /embed</c>.</summary>
public static class InferModes
{
    /// <summary>Kestrel's sockets and a minimal-API handler running ONNX Runtime inline, as a .NET developer would write it.</summary>
    public const string AspNetOrt = "aspnet-ort";

    /// <summary>
    /// Kestrel's sockets and a handler that submits to the device and blocks its thread until the embedding is back
    /// (the context-switch approach: a thread per request in flight), batching off.
    /// </summary>
    public const string Blocking = "blocking";

    /// <summary>As <see cref="Blocking"/>, the handler's thread spinning on the result (yielding its time slice now and then) instead of sleeping.</summary>
    public const string BusyWait = "busywait";

    /// <summary>Kestrel's sockets and the inference server's <c>/embed</c> awaiting the device, batching off.</summary>
    public const string ThreadPoolAsync = "threadpool-async";

    /// <summary>The Interlude transport (one loop) and the device, batching off.</summary>
    public const string Interlude = "interlude";

    /// <summary>The Interlude transport (one loop) and the device, batching on.</summary>
    public const string InterludeBatching = "interlude-batching";

    public static IReadOnlyList<string> All { get; } = [AspNetOrt, Blocking, BusyWait, ThreadPoolAsync, Interlude, InterludeBatching];

    /// <summary>Whether the mode runs on the inference device (and has its statistics).</summary>
    public static bool UsesDevice(string mode) => mode != AspNetOrt;
}
