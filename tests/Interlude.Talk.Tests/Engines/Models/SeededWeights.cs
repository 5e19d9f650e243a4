namespace Interlude.Talk.Tests.Engines.Models;

/// <summary>Seeded random weights for the generated test models: the same seed writes the same file.</summary>
internal static class SeededWeights
{
    public static float[] Ones(int count) => Enumerable.Repeat(1f, count).ToArray();

    public static float[] Normal(Random random, int count, float scale)
    {
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            // Box-Muller: two uniforms to one normal.
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2)) * scale;
        }

        return values;
    }
}
