using System.Globalization;

namespace Interlude.Deployment.Tests.Infrastructure;

/// <summary>Kubernetes resource quantities: CPU in millicores, memory in bytes.</summary>
internal static class Quantities
{
    public static long Millicores(string quantity)
        => quantity.EndsWith('m')
            ? long.Parse(quantity[..^1], CultureInfo.InvariantCulture)
            : (long)(decimal.Parse(quantity, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 1000);

    public static long Bytes(string quantity)
    {
        (string suffix, long factor)[] units =
        [
            ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
            ("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
        ];
        foreach ((string suffix, long factor) in units)
        {
            if (quantity.EndsWith(suffix, StringComparison.Ordinal))
            {
                return long.Parse(quantity[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
            }
        }

        return long.Parse(quantity, CultureInfo.InvariantCulture);
    }
}
