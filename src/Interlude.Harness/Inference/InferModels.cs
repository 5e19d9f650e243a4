using System.Text.Json;
using InferenceServer;
using Interlude.Inference.Vision;

namespace Interlude.Harness.Inference;

/// <summary>The models <c>interlude bench infer</c> measures, each behind its own endpoint of the server.</summary>
public static class InferModels
{
    /// <summary>all-MiniLM-L6-v2 sentence embeddings, <c>POST /embed</c> with <c>{"inputs": "text"}</c>.</summary>
    public const string Embed = "embed";

    /// <summary>BlazeFace face detection (front camera, 128x128), <c>POST /detect</c> with an encoded image.</summary>
    public const string Detect = "detect";

    public static IReadOnlyList<string> All { get; } = [Embed, Detect];

    private const string ImageResource = "Interlude.Harness.Inference.astronaut.jpg";

    /// <summary>The model's name in the reports and the JSON's <c>model</c> field.</summary>
    public static string DisplayName(string model) => model == Detect ? BlazeFaceModel.Front.Name : "all-MiniLM-L6-v2";

    /// <summary>The endpoint's path, relative to the server's address.</summary>
    public static string Path(string model) => model == Detect ? "detect" : "embed";

    /// <summary>The name the server's statistics (<c>/v2/models/{name}/stats</c>) go by.</summary>
    public static string StatisticsName(string model) => model == Detect ? InferenceServerHost.FacesName : InferenceServerHost.EmbedderName;

    /// <summary>
    /// Why <paramref name="mode"/> is not run for <paramref name="model"/>, or null when it is. BlazeFace's ONNX graph
    /// fixes its batch at one image (BlazeFaceModel.MaxBatchSize), so interlude-batching would run it exactly as
    /// interlude does.
    /// </summary>
    public static string? SkipReason(string model, string mode)
        => model == Detect && mode == InferModes.InterludeBatching && BlazeFaceModel.Front.MaxBatchSize == 1
            ? "not meaningful: BlazeFace's batch is fixed at 1 image by its ONNX graph, so batching runs it as interlude does"
            : null;

    /// <summary>Why the model cannot be served here (its files are missing), or null.</summary>
    public static string? Unavailable(string model)
        => model == Detect && !ModelFiles.TryLocate(BlazeFaceModel.Front, out _)
            ? $"the face model is not installed: {ModelFiles.GetPath(BlazeFaceModel.Front)} is missing; run {ModelFiles.FetchScript}"
            : null;

    /// <summary>
    /// The body every request sends, and its media type: the text as <c>{"inputs": text}</c> for the embeddings; for
    /// the faces, the JPEG portrait the vision tests detect a face in (tests/Interlude.Inference.Vision.Tests/TestImages,
    /// built into this assembly).
    /// </summary>
    public static (byte[] Body, string ContentType) Request(string model, string text)
        => model == Detect
            ? (ReadImage(), "image/jpeg")
            : (JsonSerializer.SerializeToUtf8Bytes(new { inputs = text }), "application/json");

    private static byte[] ReadImage()
    {
        using Stream stream = typeof(InferModels).Assembly.GetManifestResourceStream(ImageResource)
            ?? throw new InvalidOperationException($"The assembly lacks its resource {ImageResource}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
