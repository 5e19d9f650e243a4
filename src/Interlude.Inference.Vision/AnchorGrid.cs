namespace Interlude.Inference.Vision;

/// <summary>
/// The SSD anchors of BlazeFace: one centre per anchor, normalized to the input's [0, 1] square. BlazeFace's
/// anchors all have unit size (its regressors give absolute sizes), so a centre is all an anchor is.
/// </summary>
internal static class AnchorGrid
{
    /// <summary>
    /// The centres of every anchor of the given grids, in the models' output order: grid by grid, then row by
    /// row, cell by cell, the anchors of one cell together. Anchor i's x is at 2i and its y at 2i + 1.
    /// </summary>
    public static float[] Create(ReadOnlySpan<(int Cells, int AnchorsPerCell)> layers)
    {
        int count = 0;
        foreach ((int cells, int perCell) in layers)
        {
            count += cells * cells * perCell;
        }

        float[] centres = new float[count * 2];
        int next = 0;
        foreach ((int cells, int perCell) in layers)
        {
            for (int y = 0; y < cells; y++)
            {
                float centreY = (y + 0.5f) / cells;
                for (int x = 0; x < cells; x++)
                {
                    float centreX = (x + 0.5f) / cells;
                    for (int a = 0; a < perCell; a++)
                    {
                        centres[next++] = centreX;
                        centres[next++] = centreY;
                    }
                }
            }
        }

        return centres;
    }
}
