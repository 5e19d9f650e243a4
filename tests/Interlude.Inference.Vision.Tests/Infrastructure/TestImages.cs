using System.Drawing;
using SkiaSharp;

namespace Interlude.Inference.Vision.Tests.Infrastructure;

/// <summary>The committed test photo, and images made on the spot: gradients, noise, solid colours, padded copies.</summary>
internal static class TestImages
{
    /// <summary>
    /// The face in <c>TestImages/astronaut.jpg</c> (256x256), read off the image by eye: from the cheeks and the
    /// eyebrows to the chin. See src/Interlude.Harness/Inference/Images/README.md.
    /// </summary>
    public static readonly RectangleF AstronautFace = RectangleF.FromLTRB(89, 41, 138, 90);

    /// <summary>Where <see cref="AstronautFace"/> is in a copy placed by <see cref="Placed"/>.</summary>
    public static RectangleF AstronautFaceWhenPlaced(float left, float top, float scale = 1f) =>
        new(AstronautFace.X * scale + left, AstronautFace.Y * scale + top, AstronautFace.Width * scale, AstronautFace.Height * scale);

    public static byte[] Astronaut() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestImages", "astronaut.jpg"));

    /// <summary>A smooth diagonal colour gradient, with nothing like a face in it.</summary>
    public static byte[] Gradient(int width, int height) => Encode(width, height, SKEncodedImageFormat.Png, (x, y) =>
        new SKColor((byte)(255 * x / width), (byte)(255 * y / height), (byte)(128 + 127 * (x - y) / (width + height))));

    /// <summary>Uniform random noise from a fixed seed.</summary>
    public static byte[] Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        return Encode(width, height, SKEncodedImageFormat.Png, (_, _) =>
            new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
    }

    /// <summary>An image of one colour.</summary>
    public static byte[] Solid(int width, int height, SKColor color, SKEncodedImageFormat format = SKEncodedImageFormat.Png) =>
        Encode(width, height, format, (_, _) => color);

    /// <summary>An image whose left half is <paramref name="left"/> and right half <paramref name="right"/>.</summary>
    public static byte[] Halves(int width, int height, SKColor left, SKColor right, SKEncodedImageFormat format = SKEncodedImageFormat.Png) =>
        Encode(width, height, format, (x, _) => x < width / 2 ? left : right);

    /// <summary>
    /// The image scaled by <paramref name="scale"/> and drawn with its top left corner at (<paramref name="left"/>,
    /// <paramref name="top"/>) on a grey canvas of the given size (what falls outside is cut off), as PNG.
    /// </summary>
    public static byte[] Placed(byte[] encoded, int canvasWidth, int canvasHeight, float left, float top, float scale = 1f)
    {
        using SKBitmap image = SKBitmap.Decode(encoded);
        using var canvasBitmap = new SKBitmap(canvasWidth, canvasHeight, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(canvasBitmap))
        {
            canvas.Clear(new SKColor(200, 200, 200));
            canvas.DrawBitmap(image, SKRect.Create(left, top, image.Width * scale, image.Height * scale), new SKSamplingOptions(SKFilterMode.Linear), null);
        }

        return EncodeBitmap(canvasBitmap, SKEncodedImageFormat.Png);
    }

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, Func<int, int, SKColor> pixel)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = pixels.Slice(y * bitmap.RowBytes, width * 4);
            for (int x = 0; x < width; x++)
            {
                SKColor color = pixel(x, y);
                row[4 * x] = color.Red;
                row[4 * x + 1] = color.Green;
                row[4 * x + 2] = color.Blue;
                row[4 * x + 3] = 255;
            }
        }

        return EncodeBitmap(bitmap, format);
    }

    private static byte[] EncodeBitmap(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using SKData data = bitmap.Encode(format, 95);
        return data.ToArray();
    }
}
