using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Interlude.Cli.Commands;

/// <summary>
/// Numeric options that parse and range-check their value in one step, so that "abc", "NaN" and out-of-range
/// values all end as one clear parse error naming the option, before anything runs.
/// </summary>
internal static class NumericOption
{
    /// <summary>A real number in [min, max], or (min, max] when <paramref name="minIsAllowed"/> is false.</summary>
    internal static Option<double> Real(string name, string helpName, string description, double defaultValue, double min, double max, bool minIsAllowed = true)
        => new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseReal(result, name, min, max, minIsAllowed) ?? defaultValue,
        };

    /// <summary>As <see cref="Real"/>, null when the option is not given (its default depends on other options).</summary>
    internal static Option<double?> OptionalReal(string name, string helpName, string description, double min, double max, bool minIsAllowed = true)
        => new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result => ParseReal(result, name, min, max, minIsAllowed),
        };

    /// <summary>As <see cref="Integer"/>, null when the option is not given (its default depends on other options).</summary>
    internal static Option<int?> OptionalInteger(string name, string helpName, string description, int min, int max)
        => new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result => ParseInteger(result, name, min, max),
        };

    internal static Option<int> Integer(string name, string helpName, string description, int defaultValue, int min, int max)
        => new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseInteger(result, name, min, max) ?? defaultValue,
        };

    /// <summary>A comma-separated list of real numbers, each in [min, max]; null when the option is not given.</summary>
    internal static Option<double[]?> RealList(string name, string helpName, string description, double min, double max)
        => new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                string[] items = text.Split(',', StringSplitOptions.TrimEntries);
                var values = new double[items.Length];
                for (int i = 0; i < items.Length; i++)
                {
                    if (Check(result, name, items[i], min, max, minIsAllowed: true) is not { } value)
                    {
                        return null;
                    }

                    values[i] = value;
                }

                return values;
            },
        };

    /// <summary>A comma-separated list of whole numbers, each in [min, max]; null when the option is not given.</summary>
    internal static Option<int[]?> IntegerList(string name, string helpName, string description, int min, int max)
        => new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                string[] items = text.Split(',', StringSplitOptions.TrimEntries);
                var values = new int[items.Length];
                for (int i = 0; i < items.Length; i++)
                {
                    if (CheckInteger(result, name, items[i], min, max) is not { } value)
                    {
                        return null;
                    }

                    values[i] = value;
                }

                return values;
            },
        };

    private static int? ParseInteger(ArgumentResult result, string name, int min, int max)
        => CheckInteger(result, name, result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty, min, max);

    private static int? CheckInteger(ArgumentResult result, string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            result.AddError($"{name}: '{text}' is not a whole number.");
            return null;
        }

        if (value < min || value > max)
        {
            result.AddError($"{name}: {value} is out of range; it must be from {min:N0} to {max:N0}.");
        }

        return value;
    }

    private static double? ParseReal(ArgumentResult result, string name, double min, double max, bool minIsAllowed)
        => Check(result, name, result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty, min, max, minIsAllowed);

    private static double? Check(ArgumentResult result, string name, string text, double min, double max, bool minIsAllowed)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            result.AddError($"{name}: '{text}' is not a number.");
            return null;
        }

        if (value > max || (minIsAllowed ? value < min : value <= min))
        {
            string lower = minIsAllowed ? $"at least {min:G}" : $"above {min:G}";
            result.AddError($"{name}: {value:G} is out of range; it must be {lower} and at most {max:N0}.");
        }

        return value;
    }
}
