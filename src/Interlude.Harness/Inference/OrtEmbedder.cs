using Interlude.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Interlude.Harness.Inference;

/// <summary>
/// all-MiniLM-L6-v2 the way an ASP.NET Core app usually runs it: one shared <see cref="InferenceSession"/> (the same
/// model bytes and WordPiece tokenizer as the device's), <see cref="InferenceSession.Run(IReadOnlyCollection{NamedOnnxValue})"/>
/// called inline by the request's thread, then mean pooling and normalization. ONNX Runtime's own pool is held to one
/// thread (IntraOpNumThreads = 1), so concurrent requests run side by side on the ThreadPool's threads.
/// </summary>
public sealed class OrtEmbedder : IDisposable
{
    private const int MaxTokens = 256;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly bool _takesTokenTypes;

    public OrtEmbedder()
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        _session = new InferenceSession(MiniLmResources.Model, options);
        using Stream vocabulary = MiniLmResources.OpenVocabulary();
        _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        _takesTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
    }

    /// <summary>The unit-length embedding of <paramref name="text"/>, truncated to 256 tokens.</summary>
    public float[] Embed(string text)
    {
        IReadOnlyList<int> ids = _tokenizer.EncodeToIds(text, addSpecialTokens: true, considerPreTokenization: true, considerNormalization: true);
        int length = Math.Min(ids.Count, MaxTokens);
        var inputIds = new DenseTensor<long>([1, length]);
        var mask = new DenseTensor<long>([1, length]);
        for (int i = 0; i < length; i++)
        {
            inputIds[0, i] = ids[i];
            mask[0, i] = 1;
        }

        if (length < ids.Count)
        {
            inputIds[0, length - 1] = _tokenizer.SeparatorTokenId;
        }

        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
        };
        if (_takesTokenTypes)
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>([1, length])));
        }

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = _session.Run(inputs);
        Tensor<float> states = outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>();
        float[] flat = states.ToArray();
        return MeanPooling.Pool(flat, length, flat.Length / length);
    }

    public void Dispose() => _session.Dispose();
}
