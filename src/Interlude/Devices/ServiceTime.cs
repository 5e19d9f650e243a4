using System.Diagnostics;

namespace Interlude;

/// <summary>How long the simulated accelerator takes per operation.</summary>
public sealed class ServiceTime
{
    private readonly Kind _kind;
    private readonly double _ticks;
    private readonly double _sigma;

    private ServiceTime(Kind kind, TimeSpan time, double sigma)
    {
        _kind = kind;
        _ticks = time.TotalSeconds * Stopwatch.Frequency;
        _sigma = sigma;
        Description = kind switch
        {
            Kind.Fixed => $"fixed {time.TotalMicroseconds:0.##} us",
            Kind.Exponential => $"exponential, mean {time.TotalMicroseconds:0.##} us",
            _ => $"lognormal, median {time.TotalMicroseconds:0.##} us, sigma {sigma:0.##}",
        };
    }

    private enum Kind
    {
        Fixed,
        Exponential,
        LogNormal,
    }

    /// <summary>Human-readable form, for reports.</summary>
    public string Description { get; }

    /// <summary>Every operation takes exactly <paramref name="time"/>.</summary>
    public static ServiceTime Fixed(TimeSpan time) => new(Kind.Fixed, NonNegative(time), 0);

    /// <summary>Exponentially distributed with the given mean.</summary>
    public static ServiceTime Exponential(TimeSpan mean) => new(Kind.Exponential, NonNegative(mean), 0);

    /// <summary>Lognormal: median <paramref name="median"/>, shape <paramref name="sigma"/> (0.5 gives p99 about 3.2x the median).</summary>
    public static ServiceTime LogNormal(TimeSpan median, double sigma)
    {
        if (sigma < 0 || double.IsNaN(sigma) || double.IsInfinity(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma must be a finite non-negative number.");
        }

        return new(Kind.LogNormal, NonNegative(median), sigma);
    }

    /// <summary>The distribution and its parameters, as <see cref="Description"/>.</summary>
    public override string ToString() => Description;

    /// <summary>One service time in Stopwatch ticks.</summary>
    internal long SampleTicks(Random random)
    {
        double ticks = _kind switch
        {
            Kind.Fixed => _ticks,
            Kind.Exponential => -_ticks * Math.Log(1.0 - random.NextDouble()),
            _ => _ticks * Math.Exp(_sigma * StandardNormal(random)),
        };
        return (long)Math.Min(ticks, long.MaxValue / 4);
    }

    private static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static TimeSpan NonNegative(TimeSpan time)
        => time >= TimeSpan.Zero ? time : throw new ArgumentOutOfRangeException(nameof(time), time, "A service time must be non-negative.");
}
