using Interlude.Talk.Correction;
using Interlude.Talk.Speech;

namespace Interlude.Talk.Engines;

/// <summary>
/// The engine names the command line accepts, what each needs, and which of them this build can run. Every name is
/// parsed and validated here; an engine that is named but not built in fails with a message saying which engines
/// are, never with a stand-in.
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

    /// <summary>The recognizers this build can create.</summary>
    public static IReadOnlyList<string> BuiltSpeechRecognizers { get; } = [PocketSphinx];

    /// <summary>The correctors this build can create (<c>none</c> needs no engine).</summary>
    public static IReadOnlyList<string> BuiltCorrectors { get; } = [Terms, None];

    /// <summary>A line naming the engines this build has, for messages and help.</summary>
    public static string BuiltEngines =>
        $"this build has --asr {string.Join('|', BuiltSpeechRecognizers)} and --correct {string.Join('|', BuiltCorrectors)}";

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

        if (!BuiltSpeechRecognizers.Contains(settings.Asr))
        {
            return $"--asr {settings.Asr}: not in this build; {BuiltEngines}.";
        }

        if (!BuiltCorrectors.Contains(settings.Correct))
        {
            return $"--correct {settings.Correct}: not in this build; {BuiltEngines}.";
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
            _ => throw new TalkEngineException($"--asr {settings.Asr}: not in this build; {BuiltEngines}."),
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
            _ => throw new TalkEngineException($"--correct {settings.Correct}: not in this build; {BuiltEngines}."),
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
