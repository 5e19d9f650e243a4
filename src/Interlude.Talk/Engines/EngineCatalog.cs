using Interlude.Talk.Correction;
using Interlude.Talk.Engines.Llama;
using Interlude.Talk.Engines.OpenAi;
using Interlude.Talk.Engines.Whisper;
using Interlude.Talk.Speech;

namespace Interlude.Talk.Engines;

/// <summary>
/// The engine names the command line accepts, what each needs, and how each is made. Every name is parsed and
/// validated here, before anything runs.
/// </summary>
internal static class EngineCatalog
{
    public const string PocketSphinx = "pocketsphinx";
    public const string Whisper = "whisper";
    public const string Terms = "terms";
    public const string Llama = "llama";
    public const string OpenAi = "openai";
    public const string None = "none";

    /// <summary>Every speech recognizer name <c>--asr</c> accepts.</summary>
    public static IReadOnlyList<string> SpeechRecognizers { get; } = [PocketSphinx, Whisper];

    /// <summary>Every corrector name <c>--correct</c> accepts.</summary>
    public static IReadOnlyList<string> Correctors { get; } = [Terms, Llama, OpenAi, None];

    /// <summary>The first problem with <paramref name="settings"/> as a one-line message, or null when they are usable.</summary>
    public static string? Validate(EngineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!SpeechRecognizers.Contains(settings.Asr))
        {
            return $"--asr: unknown engine '{settings.Asr}' (one of {string.Join(", ", SpeechRecognizers)}).";
        }

        if (!Correctors.Contains(settings.Correct))
        {
            return $"--correct: unknown engine '{settings.Correct}' (one of {string.Join(", ", Correctors)}).";
        }

        if (settings.Asr == Whisper && ModelProblem("--asr whisper", "--whisper-model", settings.WhisperModel) is { } whisper)
        {
            return whisper;
        }

        if (settings.Correct == Llama && ModelProblem("--correct llama", "--llama-model", settings.LlamaModel) is { } llama)
        {
            return llama;
        }

        if (settings.Correct == OpenAi)
        {
            if (settings.Endpoint is null || !settings.Endpoint.IsAbsoluteUri || settings.Endpoint.Scheme is not ("http" or "https"))
            {
                return "--correct openai needs --endpoint URL (an absolute http or https URL).";
            }

            if (string.IsNullOrWhiteSpace(settings.Model))
            {
                return "--correct openai needs --model NAME.";
            }
        }

        return null;
    }

    /// <summary>Creates the recognizer <paramref name="settings"/> name; throws <see cref="TalkEngineException"/> when it cannot.</summary>
    public static ISpeechRecognizer CreateRecognizer(EngineSettings settings, string workDirectory)
    {
        ThrowIfInvalid(settings);
        return settings.Asr switch
        {
            PocketSphinx => new PocketSphinxRecognizer(workDirectory),
            Whisper => new WhisperRecognizer(settings.WhisperModel!),
            _ => throw new TalkEngineException($"--asr: unknown engine '{settings.Asr}'."),
        };
    }

    /// <summary>Creates the corrector <paramref name="settings"/> name, or null for <c>none</c>.</summary>
    public static ITranscriptCorrector? CreateCorrector(EngineSettings settings)
    {
        ThrowIfInvalid(settings);
        return settings.Correct switch
        {
            None => null,
            Terms => new TermCorrector(),
            Llama => new LlamaCorrector(settings.LlamaModel!),
            OpenAi => new OpenAiCorrector(new OpenAiCorrectorOptions(settings.Endpoint!, settings.Model!)),
            _ => throw new TalkEngineException($"--correct: unknown engine '{settings.Correct}'."),
        };
    }

    private static void ThrowIfInvalid(EngineSettings settings)
    {
        if (Validate(settings) is { } problem)
        {
            throw new TalkEngineException(problem);
        }
    }

    private static string? ModelProblem(string engine, string option, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return $"{engine} needs {option} FILE.";
        }

        return File.Exists(path) ? null : $"{option}: {path}: no such file.";
    }
}
