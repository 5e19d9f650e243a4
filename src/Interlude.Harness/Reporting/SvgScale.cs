namespace Interlude.Harness.Reporting;

/// <summary>
/// Maps data values onto one axis of a chart, linearly or by powers of ten, and says where its ticks go. A log
/// scale spans whole decades, so every decade gets the same length and a labelled tick at each end.
/// </summary>
public sealed class SvgScale
{
    private readonly double _rangeStart;
    private readonly double _rangeEnd;
    private readonly double _step;

    private SvgScale(double domainMin, double domainMax, double rangeStart, double rangeEnd, bool isLog, double step)
    {
        DomainMin = domainMin;
        DomainMax = domainMax;
        _rangeStart = rangeStart;
        _rangeEnd = rangeEnd;
        IsLog = isLog;
        _step = step;
    }

    public double DomainMin { get; }

    public double DomainMax { get; }

    public bool IsLog { get; }

    /// <summary>
    /// A linear scale over [<paramref name="min"/>, <paramref name="max"/>] with about five ticks at round steps
    /// (1, 2, 2.5 or 5 times a power of ten); with <paramref name="extend"/>, the domain grows to the nearest
    /// steps so the data does not touch the frame.
    /// </summary>
    public static SvgScale Linear(double min, double max, double rangeStart, double rangeEnd, bool extend = true)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            (min, max) = (0, 1);
        }

        if (max <= min)
        {
            max = min + (min == 0 ? 1 : Math.Abs(min));
        }

        double step = NiceStep((max - min) / 5);
        if (extend)
        {
            min = Math.Floor((min / step) + 1e-9) * step;
            max = Math.Ceiling((max / step) - 1e-9) * step;
        }

        return new SvgScale(min, max, rangeStart, rangeEnd, isLog: false, step);
    }

    /// <summary>
    /// A base-10 log scale covering [<paramref name="min"/>, <paramref name="max"/>] (both above zero) rounded
    /// out to whole decades, at least one.
    /// </summary>
    public static SvgScale Log10(double min, double max, double rangeStart, double rangeEnd)
    {
        if (!(min > 0) || !double.IsFinite(min))
        {
            min = 1;
        }

        if (!(max >= min) || !double.IsFinite(max))
        {
            max = min;
        }

        double low = Math.Floor(Math.Log10(min) + 1e-9);
        double high = Math.Ceiling(Math.Log10(max) - 1e-9);
        if (high <= low)
        {
            high = low + 1;
        }

        return new SvgScale(Math.Pow(10, low), Math.Pow(10, high), rangeStart, rangeEnd, isLog: true, step: 0);
    }

    /// <summary>
    /// The position of <paramref name="value"/> on the axis; on a log scale, values at or below zero land on the
    /// axis's low end rather than at minus infinity.
    /// </summary>
    public double Map(double value)
    {
        double fraction;
        if (IsLog)
        {
            double clamped = Math.Max(value, DomainMin);
            fraction = (Math.Log10(clamped) - Math.Log10(DomainMin)) / (Math.Log10(DomainMax) - Math.Log10(DomainMin));
        }
        else
        {
            fraction = (value - DomainMin) / (DomainMax - DomainMin);
        }

        return _rangeStart + (fraction * (_rangeEnd - _rangeStart));
    }

    /// <summary>
    /// Labelled ticks: each power of ten on a log scale (and 2 and 5 times it when there is only one decade), each
    /// round step on a linear one.
    /// </summary>
    public IReadOnlyList<double> MajorTicks()
    {
        var ticks = new List<double>();
        if (IsLog)
        {
            int low = (int)Math.Round(Math.Log10(DomainMin));
            int high = (int)Math.Round(Math.Log10(DomainMax));
            for (int exponent = low; exponent <= high; exponent++)
            {
                ticks.Add(Math.Pow(10, exponent));

                // One decade has only its two ends to label; 2 and 5 give the reader something to read off.
                if (high - low == 1 && exponent == low)
                {
                    ticks.Add(2 * Math.Pow(10, exponent));
                    ticks.Add(5 * Math.Pow(10, exponent));
                }
            }
        }
        else
        {
            // Multiplying the step, not adding it up, keeps 0.1 + 0.1 + 0.1 from drifting off the round value.
            long first = (long)Math.Ceiling((DomainMin / _step) - 1e-9);
            long last = (long)Math.Floor((DomainMax / _step) + 1e-9);
            for (long i = first; i <= last; i++)
            {
                ticks.Add(i * _step);
            }
        }

        return ticks;
    }

    /// <summary>Unlabelled grid lines: 2..9 times each power of ten on a log scale; none on a linear one.</summary>
    public IReadOnlyList<double> MinorTicks()
    {
        var ticks = new List<double>();
        if (!IsLog)
        {
            return ticks;
        }

        int low = (int)Math.Round(Math.Log10(DomainMin));
        int high = (int)Math.Round(Math.Log10(DomainMax));
        for (int exponent = low; exponent < high; exponent++)
        {
            for (int multiple = 2; multiple <= 9; multiple++)
            {
                ticks.Add(multiple * Math.Pow(10, exponent));
            }
        }

        return ticks;
    }

    private static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }

        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        double nice = fraction switch
        {
            <= 1 => 1,
            <= 2 => 2,
            <= 2.5 => 2.5,
            <= 5 => 5,
            _ => 10,
        };
        return nice * power;
    }
}
