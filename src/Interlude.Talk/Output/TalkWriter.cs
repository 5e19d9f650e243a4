using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Interlude.Talk.Pipeline;

namespace Interlude.Talk.Output;

/// <summary>
/// Writes a run's files: per slide slides/NNN.ocr.txt, NNN.raw.txt and NNN.corrected.txt (beside the NNN.png the
/// pipeline extracted), and for the talk slides.json (the times), slides.html (the slides alone), talk.html (each
/// slide beside its corrected text, HTML-encoded) and talk.md.
/// </summary>
internal static class TalkWriter
{
    public static void WriteSlide(string outputDirectory, SlideResult result)
    {
        string stem = Path.Combine(outputDirectory, "slides", result.Slide.Name);
        WriteIfAny(stem + ".ocr.txt", result.OcrText);
        WriteIfAny(stem + ".raw.txt", result.RawTranscript);
        WriteIfAny(stem + ".corrected.txt", result.CorrectedTranscript);
    }

    public static void WriteTalk(string outputDirectory, IReadOnlyList<SlideResult> slides, double? threshold, IReadOnlyList<string> problems)
    {
        File.WriteAllText(Path.Combine(outputDirectory, "slides.json"), SlidesJson(slides, threshold));
        File.WriteAllText(Path.Combine(outputDirectory, "slides.html"), Html(slides, problems, withText: false));
        File.WriteAllText(Path.Combine(outputDirectory, "talk.html"), Html(slides, problems, withText: true));
        File.WriteAllText(Path.Combine(outputDirectory, "talk.md"), Markdown(slides, problems));
    }

    internal static string SlidesJson(IReadOnlyList<SlideResult> slides, double? threshold)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            if (threshold is { } t)
            {
                json.WriteNumber("sceneThreshold", Math.Round(t, 6));
            }
            else
            {
                json.WriteNull("sceneThreshold");
            }

            json.WriteStartArray("slides");
            foreach (SlideResult slide in slides)
            {
                json.WriteStartObject();
                json.WriteNumber("index", slide.Slide.Index);
                json.WriteNumber("start", Math.Round(slide.Slide.Start, 3));
                json.WriteNumber("end", Math.Round(slide.Slide.End, 3));
                if (slide.Image is not null)
                {
                    json.WriteString("image", $"slides/{slide.Slide.Name}.png");
                }
                else
                {
                    json.WriteNull("image");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    internal static string Html(IReadOnlyList<SlideResult> slides, IReadOnlyList<string> problems, bool withText)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + (withText ? "Talk" : "Slides") + "</title>");
        html.AppendLine("<style>body{font-family:sans-serif;margin:2em}section{display:flex;gap:2em;margin-bottom:2em;align-items:flex-start}"
            + "img{width:480px;border:1px solid #ccc}p.time{color:#666}pre{white-space:pre-wrap}.problem{color:#a00}</style></head><body>");
        foreach (string problem in problems)
        {
            html.Append("<p class=\"problem\">").Append(WebUtility.HtmlEncode(problem)).AppendLine("</p>");
        }

        foreach (SlideResult slide in slides)
        {
            html.Append("<section id=\"slide-").Append(slide.Slide.Name).AppendLine("\">");
            if (slide.Image is not null)
            {
                html.Append("<img src=\"slides/").Append(slide.Slide.Name).Append(".png\" alt=\"slide ").Append(slide.Slide.Index + 1).AppendLine("\">");
            }

            html.Append("<div><p class=\"time\">Slide ").Append(slide.Slide.Index + 1).Append(", ").Append(Time(slide.Slide.Start))
                .Append(" - ").Append(Time(slide.Slide.End)).AppendLine("</p>");
            if (withText)
            {
                html.Append("<p>").Append(WebUtility.HtmlEncode(slide.CorrectedTranscript ?? "(no transcript)")).AppendLine("</p>");
            }
            else if (slide.OcrText is not null)
            {
                html.Append("<pre>").Append(WebUtility.HtmlEncode(slide.OcrText)).AppendLine("</pre>");
            }

            html.AppendLine("</div></section>");
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    internal static string Markdown(IReadOnlyList<SlideResult> slides, IReadOnlyList<string> problems)
    {
        var md = new StringBuilder();
        md.AppendLine("# Talk").AppendLine();
        foreach (string problem in problems)
        {
            md.Append("> ").AppendLine(problem);
        }

        if (problems.Count > 0)
        {
            md.AppendLine();
        }

        foreach (SlideResult slide in slides)
        {
            string heading = slide.OcrText?.Split('\n')[0] ?? $"Slide {slide.Slide.Index + 1}";
            md.Append("## ").Append(slide.Slide.Index + 1).Append(". ").AppendLine(heading).AppendLine();
            md.Append('*').Append(Time(slide.Slide.Start)).Append(" - ").Append(Time(slide.Slide.End)).AppendLine("*").AppendLine();
            if (slide.Image is not null)
            {
                md.Append("![slide ").Append(slide.Slide.Index + 1).Append("](slides/").Append(slide.Slide.Name).AppendLine(".png)").AppendLine();
            }

            md.AppendLine(slide.CorrectedTranscript ?? "(no transcript)").AppendLine();
        }

        return md.ToString();
    }

    private static string Time(double seconds) =>
        TimeSpan.FromSeconds(seconds).ToString(seconds >= 3600 ? @"h\:mm\:ss\.f" : @"m\:ss\.f", CultureInfo.InvariantCulture);

    private static void WriteIfAny(string path, string? text)
    {
        if (text is not null)
        {
            File.WriteAllText(path, text + "\n");
        }
    }
}
