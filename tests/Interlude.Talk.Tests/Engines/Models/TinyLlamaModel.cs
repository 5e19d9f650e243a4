namespace Interlude.Talk.Tests.Engines.Models;

/// <summary>
/// A tiny random-weight llama model as a GGUF file: two layers, 64-wide embeddings, a SentencePiece-style vocabulary
/// of the control tokens, the 256 byte tokens (so any text tokenizes) and a few word pieces. It loads and generates in
/// milliseconds; its output is noise, so it proves loading and plumbing, not quality.
/// <para>
/// With a script it is instead a programmed bigram model that answers the script's words and then ends its turn:
/// the attention and feed-forward outputs are zero, so the last layer sees only the last token's embedding; every
/// token embeds along one axis except the script's words, each on its own axis, and each output row is set so that
/// axis picks the next word (the first word after any other token, the end-of-sequence token after the last word).
/// </para>
/// </summary>
internal static class TinyLlamaModel
{
    public const int EmbeddingLength = 64;
    public const int LayerCount = 2;
    public const int HeadCount = 4;
    public const int FeedForwardLength = 128;
    public const int ContextLength = 1024;

    /// <summary>A ChatML template: llama.cpp recognizes it by its <c>&lt;|im_start|&gt;</c> marker.</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static readonly string[] s_words =
    [
        "▁the", "▁a", "▁is", "▁and", "▁of", "▁to", "▁in", "▁slide", "▁talk", "▁loop", "▁core", "▁runtime",
        "▁Interlude", "▁inter", "▁lewd", "▁per", "▁speech", "▁text", "▁model", "▁this", "▁we", "▁it", "▁on", "▁that",
        "▁", "e", "t", "a", "o", "i", "n", "s", "r", "h", "l", "d", "c", "u", "m", ".", ",",
    ];

    /// <summary>
    /// Writes the model to <paramref name="path"/>; with <paramref name="chatTemplate"/> it carries one, and with
    /// <paramref name="script"/> (word pieces of its vocabulary, such as <c>▁the</c>) it answers those and stops.
    /// </summary>
    public static void Write(string path, int seed, string? chatTemplate = null, IReadOnlyList<string>? script = null)
    {
        var random = new Random(seed);
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<int> { 2, 3, 3 }; // unknown, control, control
        for (int b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(6); // byte
        }

        foreach (string word in s_words)
        {
            tokens.Add(word);
            types.Add(1); // normal
        }

        // Longer pieces score higher, so the SentencePiece merge prefers whole words.
        var scores = tokens.Select((t, i) => types[i] == 1 ? t.Length - (i * 0.001f) : 0f).ToList();
        int vocabulary = tokens.Count;

        var gguf = new GgufFileWriter();
        gguf.AddString("general.architecture", "llama");
        gguf.AddString("general.name", "interlude-tiny-random");
        gguf.AddUInt32("general.alignment", 32);
        gguf.AddUInt32("general.file_type", 0); // all F32
        gguf.AddUInt32("llama.context_length", ContextLength);
        gguf.AddUInt32("llama.embedding_length", EmbeddingLength);
        gguf.AddUInt32("llama.block_count", LayerCount);
        gguf.AddUInt32("llama.feed_forward_length", FeedForwardLength);
        gguf.AddUInt32("llama.attention.head_count", HeadCount);
        gguf.AddUInt32("llama.attention.head_count_kv", HeadCount);
        gguf.AddUInt32("llama.rope.dimension_count", EmbeddingLength / HeadCount);
        gguf.AddFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        gguf.AddUInt32("llama.vocab_size", (uint)vocabulary);
        gguf.AddString("tokenizer.ggml.model", "llama");
        gguf.AddStrings("tokenizer.ggml.tokens", tokens);
        gguf.AddFloat32s("tokenizer.ggml.scores", scores);
        gguf.AddInt32s("tokenizer.ggml.token_type", types);
        gguf.AddUInt32("tokenizer.ggml.unknown_token_id", 0);
        gguf.AddUInt32("tokenizer.ggml.bos_token_id", 1);
        gguf.AddUInt32("tokenizer.ggml.eos_token_id", 2);
        if (chatTemplate is not null)
        {
            gguf.AddString("tokenizer.chat_template", chatTemplate);
        }

        bool scripted = script is not null;
        (float[] embeddings, float[] output) = scripted
            ? Programmed(tokens, script!)
            : (SeededWeights.Normal(random, EmbeddingLength * vocabulary, 0.5f), SeededWeights.Normal(random, EmbeddingLength * vocabulary, 0.5f));
        gguf.AddTensor("token_embd.weight", [EmbeddingLength, vocabulary], embeddings);
        gguf.AddTensor("output_norm.weight", [EmbeddingLength], SeededWeights.Ones(EmbeddingLength));
        gguf.AddTensor("output.weight", [EmbeddingLength, vocabulary], output);
        for (int layer = 0; layer < LayerCount; layer++)
        {
            string block = $"blk.{layer}.";
            gguf.AddTensor(block + "attn_norm.weight", [EmbeddingLength], SeededWeights.Ones(EmbeddingLength));
            foreach (string name in (string[])["attn_q", "attn_k", "attn_v"])
            {
                gguf.AddTensor(block + name + ".weight", [EmbeddingLength, EmbeddingLength], SeededWeights.Normal(random, EmbeddingLength * EmbeddingLength, 0.1f));
            }

            gguf.AddTensor(
                block + "attn_output.weight",
                [EmbeddingLength, EmbeddingLength],
                scripted ? new float[EmbeddingLength * EmbeddingLength] : SeededWeights.Normal(random, EmbeddingLength * EmbeddingLength, 0.1f));

            gguf.AddTensor(block + "ffn_norm.weight", [EmbeddingLength], SeededWeights.Ones(EmbeddingLength));
            gguf.AddTensor(block + "ffn_gate.weight", [EmbeddingLength, FeedForwardLength], SeededWeights.Normal(random, EmbeddingLength * FeedForwardLength, 0.1f));
            gguf.AddTensor(block + "ffn_up.weight", [EmbeddingLength, FeedForwardLength], SeededWeights.Normal(random, EmbeddingLength * FeedForwardLength, 0.1f));
            gguf.AddTensor(
                block + "ffn_down.weight",
                [FeedForwardLength, EmbeddingLength],
                scripted ? new float[FeedForwardLength * EmbeddingLength] : SeededWeights.Normal(random, FeedForwardLength * EmbeddingLength, 0.1f));
        }

        gguf.Write(path);
    }

    /// <summary>Embeddings and output rows of the bigram model that answers <paramref name="script"/> and stops.</summary>
    private static (float[] Embeddings, float[] Output) Programmed(List<string> tokens, IReadOnlyList<string> script)
    {
        const float Scale = 8f;
        const int EndOfSequence = 2;
        if (script.Count == 0 || script.Count >= EmbeddingLength || script.Distinct().Count() != script.Count)
        {
            throw new ArgumentException("A script holds 1 to 63 distinct words.", nameof(script));
        }

        var embeddings = new float[EmbeddingLength * tokens.Count];
        var output = new float[EmbeddingLength * tokens.Count];
        int[] ids = [.. script.Select(word => tokens.IndexOf(word))];
        if (ids.Any(id => id < 0))
        {
            throw new ArgumentException("Every script word must be in the vocabulary.", nameof(script));
        }

        // Axis 0 for every token, then axis i + 1 for script word i.
        for (int token = 0; token < tokens.Count; token++)
        {
            embeddings[token * EmbeddingLength] = Scale;
        }

        for (int i = 0; i < ids.Length; i++)
        {
            embeddings[ids[i] * EmbeddingLength] = 0;
            embeddings[(ids[i] * EmbeddingLength) + i + 1] = Scale;

            // Word i follows the axis of word i - 1 (axis 0 for any other token).
            output[(ids[i] * EmbeddingLength) + i] = Scale;
        }

        output[(EndOfSequence * EmbeddingLength) + ids.Length] = Scale;
        return (embeddings, output);
    }
}
