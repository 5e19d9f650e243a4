using System.Runtime.InteropServices;
using System.Text;
using Interlude.Talk.Engines.Prompting;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

namespace Interlude.Talk.Engines.Llama;

/// <summary>
/// Corrects a transcript with a local language model: a GGUF file the user supplies (a small instruction-tuned
/// model), run by llama.cpp through LLamaSharp on the CPU. The prompt (<see cref="CorrectionPrompt"/>) is formatted
/// with the model's chat template when it has one, generation is deterministic at temperature 0, bounded by
/// <see cref="LlamaCorrectorOptions.MaxTokens"/> and stopped at <see cref="CorrectionPrompt.StopStrings"/>, and the
/// answer is cleaned and checked (<see cref="CorrectionOutput"/>). Called on the engine's own thread, one call at a
/// time; each call runs in a fresh context, so calls do not see each other.
/// </summary>
internal sealed class LlamaCorrector : ITranscriptCorrector
{
    private readonly string _modelPath;
    private readonly LlamaCorrectorOptions _options;
    private readonly ModelParams _parameters;
    private readonly LLamaWeights _weights;

    /// <summary>
    /// Loads <paramref name="modelPath"/>. Throws <see cref="TalkEngineException"/> naming the file when it is missing,
    /// unreadable or not a GGUF model llama.cpp can run.
    /// </summary>
    public LlamaCorrector(string modelPath, LlamaCorrectorOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        _modelPath = Path.GetFullPath(modelPath);
        _options = options ?? new LlamaCorrectorOptions();
        if (_options.MaxTokens < 1 || _options.MaxTokens >= _options.ContextSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxTokens, "MaxTokens must be at least 1 and below ContextSize.");
        }

        if (!File.Exists(_modelPath))
        {
            throw new TalkEngineException($"The llama model file {_modelPath} does not exist.");
        }

        LlamaNativeLog.Install();
        _parameters = new ModelParams(_modelPath)
        {
            ContextSize = _options.ContextSize,
            GpuLayerCount = 0,
            Threads = _options.Threads,
            BatchThreads = _options.Threads,
        };
        LlamaNativeLog.Forget();
        try
        {
            _weights = LLamaWeights.LoadFromFile(_parameters);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TalkEngineException(
                $"The llama model file {_modelPath} could not be loaded (not a GGUF model llama.cpp supports, or unreadable): {ex.Message}{LlamaNativeLog.LastErrorSuffix()}", ex);
        }

        HasChatTemplate = _weights.Metadata.TryGetValue("tokenizer.chat_template", out string? template) && !string.IsNullOrWhiteSpace(template);
    }

    public string Name => "llama";

    /// <summary>What llama.cpp reports about the CPU features its loaded build uses (loads the native library).</summary>
    public static string RuntimeInfo => Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info())?.Trim() ?? string.Empty;

    /// <summary>Whether the model file carries a chat template.</summary>
    public bool HasChatTemplate { get; }

    /// <summary>The last call's prompt, token counts and raw answer; null before the first call.</summary>
    /// <remarks>Written and read on the engine's thread (tests read it after the call returns).</remarks>
    public LlamaRun? LastRun { get; private set; }

    public string Correct(CorrectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        CorrectionPrompt prompt = CorrectionPrompt.Build(request, _options.Limits);
        string text = Format(prompt);
        int promptTokens = _weights.Tokenize(text, true, true, Encoding.UTF8).Length;
        if (promptTokens + _options.MaxTokens > _options.ContextSize)
        {
            throw new TalkEngineException(
                $"The correction prompt has {promptTokens} tokens; with {_options.MaxTokens} for the answer it exceeds the context of {_options.ContextSize}; the raw transcript is kept.");
        }

        var answer = new StringBuilder();
        int generated = 0;
        LlamaNativeLog.Forget();
        try
        {
            generated = GenerateAsync(text, answer, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TalkEngineException($"The llama model {_modelPath} failed while generating: {ex.Message}{LlamaNativeLog.LastErrorSuffix()}", ex);
        }

        bool hitLimit = generated >= _options.MaxTokens && !EndsWithStop(answer.ToString());
        LastRun = new LlamaRun(text, promptTokens, generated, hitLimit, answer.ToString());
        if (hitLimit)
        {
            throw new TalkEngineException(
                $"The corrector's answer reached the limit of {_options.MaxTokens} tokens without ending; the raw transcript is kept.");
        }

        return CorrectionOutput.Clean(answer.ToString(), request.Transcript);
    }

    public void Dispose() => _weights.Dispose();

    /// <summary>The prompt as the model will read it: through its chat template when it has one, else plain.</summary>
    internal string Format(CorrectionPrompt prompt)
    {
        if (!_options.UseChatTemplate || !HasChatTemplate)
        {
            return prompt.ToPlainText();
        }

        try
        {
            var template = new LLamaTemplate(_weights) { AddAssistant = true };
            template.Add("system", prompt.System);
            template.Add("user", prompt.User);
            return Encoding.UTF8.GetString(template.Apply());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A template llama.cpp does not know: the plain format still works with most instruction-tuned models.
            return prompt.ToPlainText();
        }
    }

    private async ValueTask<int> GenerateAsync(string text, StringBuilder answer, CancellationToken cancellationToken)
    {
        var executor = new StatelessExecutor(_weights, _parameters);
        using var sampling = new DefaultSamplingPipeline
        {
            Temperature = _options.Temperature,
            Seed = _options.Seed,
        };
        var inference = new InferenceParams
        {
            MaxTokens = _options.MaxTokens,
            AntiPrompts = [.. CorrectionPrompt.StopStrings],
            SamplingPipeline = sampling,
        };

        // StatelessExecutor yields one decoded piece per generated token.
        int generated = 0;
        await foreach (string piece in executor.InferAsync(text, inference, cancellationToken).ConfigureAwait(false))
        {
            generated++;
            answer.Append(piece);
        }

        return generated;
    }

    private static bool EndsWithStop(string answer)
    {
        foreach (string stop in CorrectionPrompt.StopStrings)
        {
            if (answer.EndsWith(stop, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
