using System.Diagnostics;
using System.Globalization;
using Interlude.Talk.Engines;
using Interlude.Talk.Media;
using Interlude.Talk.Ocr;
using Interlude.Talk.Output;
using Interlude.Talk.Slides;
using Interlude.Talk.Speech;

namespace Interlude.Talk.Pipeline;

/// <summary>
/// A talk video to slides and a corrected transcript. The video is probed and scanned for slide changes, its audio
/// decoded once; then every slide is an event, a coroutine on one loop, that offloads its frame extraction, its OCR,
/// the recognition of its audio and the correction of that transcript to engines on threads of their own
/// (<see cref="EngineDevice"/>), so OCR of one slide overlaps speech of another. Results are written as each slide
/// finishes, released in slide order.
/// </summary>
/// <remarks>
/// A stage that fails leaves the others running: no audio stream still gives slides and OCR; a recognizer that
/// cannot start gives slides and OCR; a corrector that fails keeps the raw transcript. Each failure is one line in
/// <see cref="TalkResult.Problems"/>. Only a video that cannot be read at all throws.
/// </remarks>
internal static class TalkPipeline
{
    /// <summary>
    /// Runs the pipeline. <paramref name="progress"/> receives one line per stage and per slide, on the pipeline's
    /// loop thread. Throws <see cref="TalkEngineException"/> when the video cannot be read or has no video stream.
    /// </summary>
    public static async Task<TalkResult> RunAsync(TalkOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        ISpeechRecognizer? recognizer = null;
        ITranscriptCorrector? corrector = null;
        try
        {
            try
            {
                recognizer = EngineCatalog.CreateRecognizer(options.Engines, Path.GetTempPath());
            }
            catch (TalkEngineException e)
            {
                problems.Add($"speech: {e.Message} Transcripts are skipped.");
            }

            try
            {
                corrector = EngineCatalog.CreateCorrector(options.Engines);
            }
            catch (TalkEngineException e)
            {
                problems.Add($"correction: {e.Message} The raw transcripts are kept.");
            }

            return await RunAsync(options, recognizer, corrector, problems, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            recognizer?.Dispose();
            corrector?.Dispose();
        }
    }

    /// <summary>
    /// Runs the pipeline with the given engines (null: that stage is skipped); <paramref name="problems"/> already
    /// holds what went wrong creating them. The caller keeps ownership of the engines.
    /// </summary>
    internal static async Task<TalkResult> RunAsync(
        TalkOptions options,
        ISpeechRecognizer? recognizer,
        ITranscriptCorrector? corrector,
        List<string> problems,
        Action<string> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        long started = Stopwatch.GetTimestamp();
        Directory.CreateDirectory(Path.Combine(options.OutputDirectory, "slides"));

        // One loop, not pinned: the work is in the engines, and the loop only sequences it.
        await using var loops = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false, WaitStrategy = WaitStrategy.Block });
        using var media = new EngineDevice("media (ffmpeg)", threads: 2);
        using var ocr = new EngineDevice("ocr (tesseract)");
        using var speech = new EngineDevice($"speech ({recognizer?.Name ?? "none"})");
        using var correction = new EngineDevice($"correction ({corrector?.Name ?? "none"})");
        var run = new Run(options, loops, media, ocr, speech, correction, recognizer, corrector, problems, progress, cancellationToken);
        (IReadOnlyList<SlideResult> slides, double? threshold, TalkEngineException? failure) = await loops.RunAsync(run.ExecuteAsync).ConfigureAwait(false);
        if (failure is not null)
        {
            // Thrown here, off the loop: an exception escaping a coroutine is reported by the loop group as a fault.
            throw failure;
        }

        StageTime[] times = [.. new[] { media, ocr, speech, correction }.Select(d => new StageTime(d.Name, d.Calls, d.Busy))];
        return new TalkResult(slides, threshold, options.SceneThreshold is null, problems, times, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>One run's state, touched only by coroutines on the run's loop (its one thread).</summary>
    private sealed class Run(
        TalkOptions options,
        LoopGroup loops,
        EngineDevice media,
        EngineDevice ocr,
        EngineDevice speech,
        EngineDevice correction,
        ISpeechRecognizer? recognizer,
        ITranscriptCorrector? corrector,
        List<string> problems,
        Action<string> progress,
        CancellationToken cancellationToken)
    {
        private readonly TaskCompletionSource<string> _titleText = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task<AudioTrack?>? _audio;

        public async ValueTask<(IReadOnlyList<SlideResult>, double?, TalkEngineException?)> ExecuteAsync()
        {
            try
            {
                (IReadOnlyList<SlideResult> slides, double? threshold) = await ExecuteSlidesAsync();
                return (slides, threshold, null);
            }
            catch (TalkEngineException e)
            {
                return ([], null, e);
            }
        }

        private async ValueTask<(IReadOnlyList<SlideResult>, double?)> ExecuteSlidesAsync()
        {
            string video = options.Video;
            VideoInfo info = await media.RunAsync(() => VideoProbe.Probe(video, cancellationToken), cancellationToken);
            progress($"video: {info.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s, {(info.HasAudio ? "with" : "without")} audio");
            if (!info.HasAudio)
            {
                problems.Add($"{video}: has no audio stream; slides and OCR only.");
            }

            // The audio is decoded while the slides are found (the media engine has two threads).
            _audio = info.HasAudio && recognizer is not null ? ExtractAudioAsync(video) : Task.FromResult<AudioTrack?>(null);

            IReadOnlyList<SceneScore> scores = await media.RunAsync(() => SceneScanner.Scan(video, cancellationToken), cancellationToken);
            double? threshold = options.SceneThreshold ?? SceneThreshold.Choose(scores);
            IReadOnlyList<SlideSpan> spans = SlideCutter.Cut(scores, threshold, info.Duration.TotalSeconds);
            progress($"slides: {spans.Count} found in {scores.Count} frames (scene threshold {Format(threshold)}{(options.SceneThreshold is null ? ", chosen from the video" : ", given")})");

            var results = new SlideResult[spans.Count];
            var release = new InOrderRelease<SlideResult>(spans.Count, result =>
            {
                TalkWriter.WriteSlide(options.OutputDirectory, result);
                results[result.Slide.Index] = result;
                progress(SlideLine(result, spans.Count));
            });

            // Every slide is an event: its own coroutine on the loop.
            Task[] slides = [.. spans.Select(span => loops.RunAsync(async () => release.Complete(span.Index, await ProcessAsync(span))))];
            await Task.WhenAll(slides);
            TalkWriter.WriteTalk(options.OutputDirectory, results, threshold, problems);
            return (results, threshold);
        }

        private async Task<AudioTrack?> ExtractAudioAsync(string video)
        {
            try
            {
                AudioTrack track = await media.RunAsync(() => AudioTrack.Extract(video, cancellationToken), cancellationToken);
                progress($"audio: {track.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s decoded at 16 kHz");
                return track;
            }
            catch (TalkEngineException e)
            {
                problems.Add($"audio: {e.Message} Transcripts are skipped.");
                return null;
            }
        }

        private async ValueTask<SlideResult> ProcessAsync(SlideSpan slide)
        {
            string png = Path.Combine(options.OutputDirectory, "slides", slide.Name + ".png");
            string? image = null, text = null, raw = null, corrected = null;
            try
            {
                try
                {
                    await media.RunAsync(() => { FrameExtractor.Extract(options.Video, slide, png, cancellationToken); return true; }, cancellationToken);
                    image = png;
                    text = await ocr.RunAsync(() => TesseractOcr.Read(png, options.Language, cancellationToken), cancellationToken);
                }
                catch (TalkEngineException e)
                {
                    problems.Add($"slide {slide.Name}: {e.Message}");
                }
            }
            finally
            {
                if (slide.Index == 0)
                {
                    _titleText.TrySetResult(text ?? string.Empty);
                }
            }

            if (recognizer is not null && await _audio! is { } audio)
            {
                try
                {
                    ReadOnlyMemory<float> samples = audio.Slice(slide.Start, slide.End);
                    raw = await speech.RunAsync(() => recognizer.Transcribe(samples.Span, options.Language, cancellationToken), cancellationToken);
                    corrected = raw;
                }
                catch (TalkEngineException e)
                {
                    problems.Add($"slide {slide.Name}: speech: {e.Message}");
                }
            }

            if (corrector is not null && raw is { Length: > 0 })
            {
                string title = await _titleText.Task;
                var request = new CorrectionRequest(raw, text ?? string.Empty, title, options.Language);
                try
                {
                    corrected = await correction.RunAsync(() => corrector.Correct(request, cancellationToken), cancellationToken);
                }
                catch (TalkEngineException e)
                {
                    problems.Add($"slide {slide.Name}: correction ({corrector.Name}): {e.Message} The raw transcript is kept.");
                }
            }

            return new SlideResult(slide, image, text, raw, corrected);
        }

        private static string SlideLine(SlideResult result, int count)
        {
            string words = result.CorrectedTranscript is { } t ? $"{t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length} words" : "no transcript";
            string lines = result.OcrText is { } o ? $"{o.Split('\n').Length} OCR lines" : "no OCR";
            return $"slide {result.Slide.Index + 1}/{count} ({Format(result.Slide.Start)}-{Format(result.Slide.End)} s): {lines}, {words}";
        }

        private static string Format(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "none";
    }
}
