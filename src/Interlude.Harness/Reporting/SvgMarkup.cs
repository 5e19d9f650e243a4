using System.Globalization;
using System.Text;

namespace Interlude.Harness.Reporting;

/// <summary>Text and numbers as they go into SVG and HTML: escaped, and culture-independent.</summary>
public static class SvgMarkup
{
    /// <summary>
    /// Escapes text for element content and for double- or single-quoted attributes alike, in both XML and HTML,
    /// so one function serves every place a mode title or a machine name ends up.
    /// </summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (char ch in text)
        {
            builder.Append(ch switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => ch.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>A coordinate: two decimals are finer than any screen needs and keep the file small.</summary>
    public static string Coordinate(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>An axis label: 1.5M, 250k, 12, 0.25.</summary>
    public static string Compact(double value)
    {
        double magnitude = Math.Abs(value);
        return magnitude switch
        {
            >= 1e6 => Trim(value / 1e6) + "M",
            >= 1e3 => Trim(value / 1e3) + "k",
            _ => Trim(value),
        };
    }

    private static string Trim(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);
}
