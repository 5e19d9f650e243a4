using System.Globalization;
using System.Text.Json;
using Interlude.Talk.Correction;
using Interlude.Talk.Evaluation;
using Interlude.Talk.Pipeline;
using Interlude.Talk.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Interlude.Talk.Tests.EndToEnd;

/// <summary>The pipeline over the generated talk, against what the generator recorded.</summary>
[Collection(SyntheticTalkCollection.Name)]
public sealed class SyntheticTalkTests(SyntheticTalk talk, ITestOutputHelper output)
{
    [TalkToolsFact]
    public void Every_slide_change_is_found_within_half_a_second()
    {
        IReadOnlyList<SlideResult> slides = talk.Result.Slides;
        output.WriteLine(string.Join(Environment.NewLine, talk.Progress));
        Assert.Equal(talk.Reference.Count, slides.Count);
        for (int i = 0; i < slides.Count; i++)
        {
            double error = Math.Abs(slides[i].Slide.Start - talk.Reference[i].Start);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slide {i}: found at {slides[i].Slide.Start:0.000} s, recorded {talk.Reference[i].Start:0.000} s, error {error:0.000} s"));
            Assert.True(error <= 0.5, $"slide {i} starts at {slides[i].Slide.Start} s, recorded at {talk.Reference[i].Start} s");
        }
    }

    [TalkToolsFact]
    public void Ocr_recovers_every_printed_line()
    {
        foreach (ReferenceSlide reference in talk.Reference)
        {
            string? ocr = talk.Result.Slides[reference.Index].OcrText;
            Assert.NotNull(ocr);
            string read = Normalize(ocr);
            foreach (string line in reference.Lines.Prepend(reference.Heading))
            {
                Assert.True(read.Contains(Normalize(line), StringComparison.Ordinal), $"slide {reference.Index}: '{line}' not in the OCR text:\n{ocr}");
            }
        }
    }

    [TalkToolsFact]
    public void The_term_pass_raises_proper_noun_recall_without_raising_the_word_error_rate()
    {
        string spoken = string.Join(' ', talk.Reference.Select(s => s.Narration));
        string raw = string.Join(' ', talk.Result.Slides.Select(s => s.RawTranscript ?? string.Empty));
        string corrected = string.Join(' ', talk.Result.Slides.Select(s => s.CorrectedTranscript ?? string.Empty));
        (int rawErrors, int words) = WordErrorRate.Count(spoken, raw);
        (int correctedErrors, _) = WordErrorRate.Count(spoken, corrected);
        (int rawFound, int nouns) = ProperNounRecall.Count(spoken, raw, talk.ProperNouns);
        (int correctedFound, _) = ProperNounRecall.Count(spoken, corrected, talk.ProperNouns);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pocketsphinx: WER {rawErrors}/{words} = {(double)rawErrors / words:0.000}, proper-noun recall {rawFound}/{nouns} = {(double)rawFound / nouns:0.000}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after terms:  WER {correctedErrors}/{words} = {(double)correctedErrors / words:0.000}, proper-noun recall {correctedFound}/{nouns} = {(double)correctedFound / nouns:0.000}"));
        foreach (SlideResult slide in talk.Result.Slides)
        {
            output.WriteLine($"raw {slide.Slide.Name}:       {slide.RawTranscript}");
            output.WriteLine($"corrected {slide.Slide.Name}: {slide.CorrectedTranscript}");
        }

        double elapsed = talk.Result.Elapsed.TotalSeconds;
        foreach (StageTime stage in talk.Result.StageTimes)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage.Engine}: {stage.Calls} calls, {stage.Busy.TotalSeconds:0.00} s busy = {stage.Busy.TotalSeconds / elapsed:0.00} of the run"));
        }

        double busy = talk.Result.StageTimes.Sum(s => s.Busy.TotalSeconds);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {elapsed:0.0} s; engines busy {busy:0.0} s in all = {busy / elapsed:0.00} x the run (above 1: stages overlapped)"));

        Assert.True(raw.Length > 0, "pocketsphinx heard nothing");
        Assert.True(correctedFound > rawFound, $"the term pass found {correctedFound} proper nouns, pocketsphinx alone {rawFound}");
        Assert.True(correctedErrors <= rawErrors, $"the term pass raised the errors from {rawErrors} to {correctedErrors}");
    }

    [TalkToolsFact]
    public void Writes_every_output_file_in_slide_order()
    {
        Assert.Empty(talk.Result.Problems);
        string outDir = talk.OutputDirectory;
        foreach (SlideResult slide in talk.Result.Slides)
        {
            foreach (string suffix in new[] { ".png", ".ocr.txt", ".raw.txt", ".corrected.txt" })
            {
                Assert.True(File.Exists(Path.Combine(outDir, "slides", slide.Slide.Name + suffix)), $"slides/{slide.Slide.Name}{suffix} is missing");
            }

            Assert.Equal(slide.CorrectedTranscript + "\n", File.ReadAllText(Path.Combine(outDir, "slides", slide.Slide.Name + ".corrected.txt")));
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "slides.json")));
        double[] starts = [.. json.RootElement.GetProperty("slides").EnumerateArray().Select(s => s.GetProperty("start").GetDouble())];
        Assert.Equal(talk.Result.Slides.Select(s => Math.Round(s.Slide.Start, 3)), starts);

        string html = File.ReadAllText(Path.Combine(outDir, "talk.html"));
        string markdown = File.ReadAllText(Path.Combine(outDir, "talk.md"));
        int previous = -1;
        foreach (SlideResult slide in talk.Result.Slides)
        {
            int at = html.IndexOf($"slides/{slide.Slide.Name}.png", StringComparison.Ordinal);
            Assert.True(at > previous, $"slide {slide.Slide.Name} is not after the one before it in talk.html");
            previous = at;
            Assert.Contains(slide.CorrectedTranscript!, markdown, StringComparison.Ordinal);
        }

        // The slide lines of the progress report come in slide order too.
        string[] slideLines = [.. talk.Progress.Where(l => l.StartsWith("slide ", StringComparison.Ordinal))];
        Assert.Equal(talk.Result.Slides.Count, slideLines.Length);
        for (int i = 0; i < slideLines.Length; i++)
        {
            Assert.StartsWith($"slide {i + 1}/", slideLines[i], StringComparison.Ordinal);
        }
    }

    private static string Normalize(string text) => string.Join(' ', TranscriptWords.Normalized(text));
}
