using SkiaSharp;

namespace Interlude.Inference.Vision;

/// <summary>The EXIF orientations: which turn or mirror makes stored pixels upright.</summary>
internal static class ImageOrientation
{
    /// <summary>Whether the upright image's width is the stored height (a quarter turn or a transpose).</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// The transform from stored pixel coordinates to upright ones, for a stored image of the given size. The
    /// origin names where the stored first row and first column are in the upright image: RightTop, for one, has the
    /// first row on the right and the first column on top, a quarter turn clockwise.
    /// </summary>
    public static SKMatrix ToUpright(SKEncodedOrigin origin, int width, int height) => origin switch
    {
        // x' = w - x
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        // x' = w - x, y' = h - y
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        // y' = h - y
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        // x' = y, y' = x
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        // x' = h - y, y' = x
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
        // x' = h - y, y' = w - x
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
        // x' = y, y' = w - x
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
