using System.CommandLine;
using System.Globalization;
using Interlude.Talk.Engines;
using Interlude.Talk.Pipeline;

namespace Interlude.Cli.Commands;

/// <summary>
/// Declares <c>interlude talk</c>: a talk video to its slides (images and OCR text) and a transcript per slide,
/// corrected with the slide's text (<see cref="TalkPipeline"/>). Exit codes: 0 when every stage ran, 1 for bad
/// input (nothing could be done), 2 when some stage could not run (no audio, an engine failed): what could be made
/// is written and each problem printed on one line.
/// </summary>
internal static class TalkCommand
{
    internal const string Notes =
        "Each slide is a coroutine on an Interlude loop; frame extraction (ffmpeg), OCR (tesseract), speech (pocketsphinx, "
        + "or Whisper on a ggml model file) and correction (the built-in term pass, a llama.cpp GGUF model file, or an "
        + "OpenAI-compatible endpoint) run as offloads to engines on threads of their own. Needs ffmpeg and tesseract on PATH, "
        + "and pocketsphinx for --asr pocketsphinx (scripts/install-talk-tools.sh). Writes slides/NNN.png, NNN.ocr.txt, NNN.raw.txt, NNN.corrected.txt, slides.json, "
        + "slides.html, talk.html and talk.md. See docs/talks.md.";

    internal static Command Create()
    {
        var video = new Argument<FileInfo>("video") { Description = "The talk video (any format ffmpeg reads)." };
        video.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<FileInfo>() is { } file && !file.Exists)
            {
                r.AddError($"{file.FullName}: no such file.");
            }
        });
        var output = new Option<DirectoryInfo>("--out") { Description = "The directory the slides and transcripts go to (created).", Required = true, HelpName = "dir" };
        Option<double?> threshold = NumericOption.OptionalReal("--scene-threshold", "score", "The scene score (0-1) that starts a new slide; chosen from the video when not given.", 0, 1, minIsAllowed: false);
        var asr = new Option<string>("--asr") { Description = "The speech recognizer.", DefaultValueFactory = _ => EngineCatalog.PocketSphinx, HelpName = "engine" };
        asr.AcceptOnlyFromAmong([.. EngineCatalog.SpeechRecognizers]);
        var correct = new Option<string>("--correct") { Description = "The transcript corrector.", DefaultValueFactory = _ => EngineCatalog.Terms, HelpName = "engine" };
        correct.AcceptOnlyFromAmong([.. EngineCatalog.Correctors]);
        var language = new Option<string>("--language") { Description = "The talk's language (ISO 639-1).", DefaultValueFactory = _ => "en", HelpName = "code" };
        var whisperModel = new Option<string?>("--whisper-model") { Description = "The ggml weights --asr whisper loads.", HelpName = "file" };
        var llamaModel = new Option<string?>("--llama-model") { Description = "The GGUF model --correct llama loads.", HelpName = "file" };
        var endpoint = new Option<string?>("--endpoint") { Description = "The OpenAI-compatible endpoint --correct openai calls.", HelpName = "url" };
        var model = new Option<string?>("--model") { Description = "The model name --correct openai asks for.", HelpName = "name" };

        var command = new Command("talk", "A talk video to slides and a corrected transcript per slide.")
        {
            video, output, threshold, asr, correct, language, whisperModel, llamaModel, endpoint, model,
        };
        command.Validators.Add(r =>
        {
            // The options' own values are not converted yet while the command is validated (nor defaults filled in),
            // so the engine settings are read from the tokens as given.
            string? Raw(Option option) => r.GetResult(option)?.Tokens.LastOrDefault()?.Value;
            string asrName = Raw(asr) ?? EngineCatalog.PocketSphinx;
            string correctName = Raw(correct) ?? EngineCatalog.Terms;
            if (!EngineCatalog.SpeechRecognizers.Contains(asrName) || !EngineCatalog.Correctors.Contains(correctName))
            {
                return; // the option itself reports the unknown name
            }

            var settings = new EngineSettings(asrName, correctName, Raw(whisperModel), Raw(llamaModel), ParseEndpoint(Raw(endpoint)), Raw(model));
            if (EngineCatalog.Validate(settings) is { } problem)
            {
                r.AddError(problem);
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new TalkOptions(
                parseResult.GetValue(video)!.FullName,
                parseResult.GetValue(output)!.FullName,
                new EngineSettings(
                    parseResult.GetValue(asr)!,
                    parseResult.GetValue(correct)!,
                    parseResult.GetValue(whisperModel),
                    parseResult.GetValue(llamaModel),
                    ParseEndpoint(parseResult.GetValue(endpoint)),
                    parseResult.GetValue(model)),
                parseResult.GetValue(threshold),
                parseResult.GetValue(language)!);
            return await RunAsync(options, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Uri? ParseEndpoint(string? text) =>
        text is not null && Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) ? uri : null;

    internal static async Task<int> RunAsync(TalkOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        TalkResult result;
        try
        {
            result = await TalkPipeline.RunAsync(options, line => output.WriteLine(line), cancellationToken).ConfigureAwait(false);
        }
        catch (TalkEngineException e)
        {
            await error.WriteLineAsync($"interlude talk: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        foreach (StageTime stage in result.StageTimes)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{stage.Engine}: {stage.Calls} calls, {stage.Busy.TotalSeconds:0.00} s")).ConfigureAwait(false);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{result.Slides.Count} slides in {result.Elapsed.TotalSeconds:0.0} s: {Path.Combine(options.OutputDirectory, "talk.html")}")).ConfigureAwait(false);
        foreach (string problem in result.Problems)
        {
            await error.WriteLineAsync($"interlude talk: {problem}").ConfigureAwait(false);
        }

        return result.Problems.Count == 0 ? 0 : 2;
    }
}
