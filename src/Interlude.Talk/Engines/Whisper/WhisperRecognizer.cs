using System.Text;
using Whisper.net;

namespace Interlude.Talk.Engines.Whisper;

/// <summary>
/// Speech to text with Whisper (whisper.cpp through Whisper.net) and a ggml model file the user supplies
/// (<c>ggml-base.en.bin</c> and the like). The model is loaded once, in the constructor; each call transcribes one
/// slide's 16 kHz mono samples and joins Whisper's segments into one line. Called on the engine's own thread, one call
/// at a time (the seam's rule), so the processor is reused without a lock.
/// </summary>
internal sealed class WhisperRecognizer : ISpeechRecognizer
{
    private readonly string _modelPath;
    private readonly WhisperRecognizerOptions _options;
    private readonly WhisperFactory _factory;

    // Built on the first call and rebuilt when the language changes; touched only by the engine's thread.
    private WhisperProcessor? _processor;
    private string? _processorLanguage;

    /// <summary>
    /// Loads <paramref name="modelPath"/>. Throws <see cref="TalkEngineException"/> naming the file when it is missing,
    /// unreadable or not a Whisper model.
    /// </summary>
    public WhisperRecognizer(string modelPath, WhisperRecognizerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        _modelPath = Path.GetFullPath(modelPath);
        _options = options ?? new WhisperRecognizerOptions();
        if (!File.Exists(_modelPath))
        {
            throw new TalkEngineException($"The Whisper model file {_modelPath} does not exist.");
        }

        WhisperFactory? factory = null;
        try
        {
            // Whisper.net reads the file lazily; building the first decoder makes a bad file fail here, naming it.
            factory = WhisperFactory.FromPath(_modelPath);
            _processor = Build(factory, _options, _options.Language);
            _processorLanguage = _options.Language;
            _factory = factory;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            factory?.Dispose();
            throw new TalkEngineException(
                $"The Whisper model file {_modelPath} could not be loaded (not a whisper.cpp ggml model, or unreadable): {ex.Message}", ex);
        }
    }

    public string Name => "whisper";

    /// <summary>What the native runtime reports about itself (the CPU features it was built for and uses).</summary>
    public static string RuntimeInfo => WhisperFactory.GetRuntimeInfo() ?? string.Empty;

    public string Transcribe(ReadOnlySpan<float> samples, string language, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (samples.IsEmpty)
        {
            return string.Empty;
        }

        WhisperProcessor processor = GetProcessor(string.IsNullOrWhiteSpace(language) ? _options.Language : language);
        float[] copy = samples.ToArray();
        try
        {
            // The engine has its own thread and no synchronization context, so waiting here blocks only that thread.
            return CollectAsync(processor, copy, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TalkEngineException($"Whisper failed on {copy.Length} samples with the model {_modelPath}: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        _processor?.Dispose();
        _processor = null;
        _factory.Dispose();
    }

    private static async ValueTask<string> CollectAsync(WhisperProcessor processor, float[] samples, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        await foreach (SegmentData segment in processor.ProcessAsync(samples, cancellationToken).ConfigureAwait(false))
        {
            string part = segment.Text.Trim();
            if (part.Length > 0)
            {
                if (text.Length > 0)
                {
                    text.Append(' ');
                }

                text.Append(part);
            }
        }

        return JoinLines(text.ToString());
    }

    /// <summary>One line: line breaks and whitespace runs become single spaces.</summary>
    internal static string JoinLines(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    private static WhisperProcessor Build(WhisperFactory factory, WhisperRecognizerOptions options, string language)
    {
        WhisperProcessorBuilder builder = factory.CreateBuilder()
            .WithThreads(options.Threads)
            .WithLanguage(language)
            .WithTemperature(options.Temperature);
        if (!string.IsNullOrWhiteSpace(options.InitialPrompt))
        {
            builder = builder.WithPrompt(options.InitialPrompt);
        }

        return builder.Build();
    }

    private WhisperProcessor GetProcessor(string language)
    {
        if (_processor is not null && _processorLanguage == language)
        {
            return _processor;
        }

        _processor?.Dispose();
        _processor = null;
        try
        {
            _processor = Build(_factory, _options, language);
            _processorLanguage = language;
            return _processor;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TalkEngineException($"Whisper could not start a decoder for the model {_modelPath} (language {language}): {ex.Message}", ex);
        }
    }
}
