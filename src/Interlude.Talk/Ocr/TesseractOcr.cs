using System.Globalization;
using Interlude.Talk.Engines;
using Interlude.Talk.Tools;

namespace Interlude.Talk.Ocr;

/// <summary>
/// Reads a slide's printed text with the tesseract command-line tool. A mostly dark slide (light text on a dark
/// background, as title slides often are) is read a second time negated to dark-on-light, and the reading with more
/// letters is kept.
/// </summary>
internal static class TesseractOcr
{
    /// <summary>Below this mean brightness (0 black, 1 white) a slide is read negated as well.</summary>
    public const double DarkMean = 0.5;

    public static string Read(string png, string language, CancellationToken cancellationToken)
    {
        string tesseractLanguage = TesseractLanguage(language);
        string text = Recognize(png, tesseractLanguage, cancellationToken);
        if (MeanBrightness(png, cancellationToken) is { } mean && mean < DarkMean)
        {
            string negated = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(png))!, Path.GetFileNameWithoutExtension(png) + ".negated.png");
            try
            {
                ExternalTool.RunChecked("convert", [png, "-colorspace", "Gray", "-negate", negated], "negating a dark slide", cancellationToken);
                string second = Recognize(negated, tesseractLanguage, cancellationToken);
                if (LetterCount(second) > LetterCount(text))
                {
                    text = second;
                }
            }
            finally
            {
                File.Delete(negated);
            }
        }

        return Tidy(text);
    }

    /// <summary>Tesseract's name for an ISO 639-1 language (en → eng); other names pass as they are.</summary>
    internal static string TesseractLanguage(string language) => language switch
    {
        "en" => "eng",
        "de" => "deu",
        "fr" => "fra",
        "es" => "spa",
        "it" => "ita",
        "pt" => "por",
        "nl" => "nld",
        _ => language,
    };

    /// <summary>The lines tesseract printed, trimmed, without empty ones or the form feed it ends a page with.</summary>
    internal static string Tidy(string text)
    {
        IEnumerable<string> lines = text.Replace('\f', '\n').Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0);
        return string.Join('\n', lines);
    }

    private static string Recognize(string png, string language, CancellationToken cancellationToken)
    {
        ToolResult result = ExternalTool.RunChecked("tesseract", [png, "-", "-l", language, "--psm", "3"], "OCR", cancellationToken);
        return result.Text;
    }

    private static double? MeanBrightness(string png, CancellationToken cancellationToken)
    {
        ToolResult result = ExternalTool.Run("convert", [png, "-colorspace", "Gray", "-format", "%[fx:mean]", "info:"], cancellationToken);
        return result.ExitCode == 0 && double.TryParse(result.Text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double mean) ? mean : null;
    }

    private static int LetterCount(string text) => text.Count(char.IsLetter);
}
