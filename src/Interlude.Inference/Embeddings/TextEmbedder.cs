using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.ML.Tokenizers;

namespace Interlude.Inference;

/// <summary>
/// Sentence embeddings on an <see cref="InferenceDevice"/>: a text is tokenized (WordPiece, lower-cased) on the
/// caller's thread, its tokens run through the encoder on a device thread, batched with other texts, and its token
/// states are mean-pooled and L2-normalized back on the caller's thread (on a loop, that loop). Embeddings of
/// similar texts have a high cosine similarity, which for these unit vectors is their dot product.
/// </summary>
/// <remarks>
/// <see cref="LoadMiniLM"/> loads all-MiniLM-L6-v2 (384 dimensions). A text longer than
/// <see cref="TextEmbedderOptions.MaxSequenceLength"/> tokens fails with <see cref="InferenceInputException"/>
/// unless <see cref="TextEmbedderOptions.Truncate"/> is set. Batching pads texts to the batch's longest; the
/// padding is masked, so a text's embedding does not depend on what it was batched with beyond float rounding.
/// </remarks>
public sealed class TextEmbedder
{
    // All written by the constructor and only read afterwards, by any caller's thread (the tokenizer's vocabulary
    // is read-only once loaded, so concurrent encoding is safe).
    private readonly TextModelRunner _runner;
    private readonly BertTokenizer _tokenizer;
    private readonly bool _truncate;

    private TextEmbedder(TextModelRunner runner, BertTokenizer tokenizer, TextEmbedderOptions options)
    {
        _runner = runner;
        _tokenizer = tokenizer;
        _truncate = options.Truncate;
        MaxSequenceLength = options.MaxSequenceLength;
    }

    /// <summary>The name it was loaded with.</summary>
    public string Name => _runner.Name;

    /// <summary>The device it runs on.</summary>
    public InferenceDevice Device => _runner.Device;

    /// <summary>The size of an embedding.</summary>
    public int Dimensions => _runner.Dimensions;

    /// <summary>The most tokens a text may have, [CLS] and [SEP] included.</summary>
    public int MaxSequenceLength { get; }

    /// <summary>
    /// Loads all-MiniLM-L6-v2 (the sentence-transformers model, 384 dimensions) onto <paramref name="device"/>. The
    /// session is created on the calling thread.
    /// </summary>
    public static TextEmbedder LoadMiniLM(InferenceDevice device, TextEmbedderOptions? options = null)
    {
        using Stream vocabulary = MiniLmResources.OpenVocabulary();
        return Load(device, "all-MiniLM-L6-v2", MiniLmResources.Model, vocabulary, options);
    }

    /// <summary>
    /// Loads a BERT-style sentence encoder: an ONNX model with inputs input_ids, attention_mask and (optionally)
    /// token_type_ids and output last_hidden_state, and the WordPiece vocabulary it was trained with (vocab.txt,
    /// lower-cased). Its embeddings are mean-pooled and normalized as all-MiniLM-L6-v2's are.
    /// </summary>
    /// <exception cref="NotSupportedException">The model's inputs or outputs are not those of such an encoder.</exception>
    public static TextEmbedder Load(InferenceDevice device, string name, byte[] model, Stream vocabulary, TextEmbedderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        options ??= new TextEmbedderOptions();
        options.Validate();
        BertTokenizer tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        var session = device.CreateSession(model);
        try
        {
            var runner = new TextModelRunner(device, name, session, options, tokenizer.ClassificationTokenId, tokenizer.SeparatorTokenId);
            device.Register(runner);
            return new TextEmbedder(runner, tokenizer, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>What the embedder has done so far. Any thread.</summary>
    public InferenceModelStatistics GetStatistics() => _runner.Counters.Snapshot(Name);

    /// <summary>The number of tokens <paramref name="text"/> has, [CLS] and [SEP] included, before any truncation.</summary>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encode(text).Count;
    }

    /// <summary>The embedding of <paramref name="text"/>: a unit vector of <see cref="Dimensions"/> floats.</summary>
    /// <exception cref="InferenceInputException">
    /// Thrown at once: the text has more than <see cref="MaxSequenceLength"/> tokens and truncation was not asked for.
    /// </exception>
    public ValueTask<float[]> EmbedAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        long[] ids = Tokenize(text);
        long start = Stopwatch.GetTimestamp();
        var request = new InferenceRequest(_runner, ids, 1, ids.Length, start);
        return PoolAsync(Device.SubmitInferenceAsync<TokenStates>(request, cancellationToken), _runner.Counters, start);
    }

    /// <summary>
    /// The embeddings of <paramref name="texts"/>, in order. Each text is its own request: they batch with each
    /// other and with every other caller's texts, within the batch limits.
    /// </summary>
    /// <exception cref="InferenceInputException">Thrown at once, before any text is submitted: a text is too long.</exception>
    public ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var ids = new long[texts.Count][];
        for (int i = 0; i < ids.Length; i++)
        {
            string text = texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts));
            ids[i] = Tokenize(text, i);
        }

        long start = Stopwatch.GetTimestamp();
        var pending = new ValueTask<TokenStates>[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            var request = new InferenceRequest(_runner, ids[i], 1, ids[i].Length, start);
            pending[i] = Device.SubmitInferenceAsync<TokenStates>(request, cancellationToken);
        }

        return CollectAsync(pending, _runner.Counters, start);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<float[]> PoolAsync(ValueTask<TokenStates> pending, ModelCounters counters, long start)
    {
        TokenStates states = await pending;
        float[] embedding = Pool(states);
        counters.Latency(Stopwatch.GetTimestamp() - start);
        return embedding;
    }

    private static async ValueTask<float[][]> CollectAsync(ValueTask<TokenStates>[] pending, ModelCounters counters, long start)
    {
        var embeddings = new float[pending.Length][];
        ExceptionDispatchInfo? failure = null;
        for (int i = 0; i < pending.Length; i++)
        {
            // Every operation is awaited, even after a failure, so each goes back to its pool.
            try
            {
                embeddings[i] = Pool(await pending[i]);
                counters.Latency(Stopwatch.GetTimestamp() - start);
            }
            catch (Exception error)
            {
                failure ??= ExceptionDispatchInfo.Capture(error);
            }
        }

        failure?.Throw();
        return embeddings;
    }

    private static float[] Pool(TokenStates states)
    {
        try
        {
            return MeanPooling.Pool(states.Span, states.Tokens, states.Dimensions);
        }
        finally
        {
            states.Return();
        }
    }

    private IReadOnlyList<int> Encode(string text)
        => _tokenizer.EncodeToIds(text, addSpecialTokens: true, considerPreTokenization: true, considerNormalization: true);

    /// <summary>
    /// The token ids the model takes for <paramref name="text"/> (number <paramref name="index"/> of a batch call, or
    /// -1), checked against the limit or truncated.
    /// </summary>
    internal long[] Tokenize(string text, int index = -1)
    {
        IReadOnlyList<int> encoded = Encode(text);
        int count = encoded.Count;
        if (count > MaxSequenceLength)
        {
            if (!_truncate)
            {
                throw new InferenceInputException(
                    InferenceInputError.TooManyTokens,
                    null,
                    $"{(index < 0 ? "The text" : $"Text {index}")} has {count} tokens ([CLS] and [SEP] included); '{Name}' takes at most {MaxSequenceLength} "
                    + "(TextEmbedderOptions.MaxSequenceLength). Shorten it, or set TextEmbedderOptions.Truncate to embed its beginning.");
            }

            count = MaxSequenceLength;
        }

        var ids = new long[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = encoded[i];
        }

        if (count < encoded.Count)
        {
            ids[count - 1] = _tokenizer.SeparatorTokenId;
        }

        return ids;
    }
}
