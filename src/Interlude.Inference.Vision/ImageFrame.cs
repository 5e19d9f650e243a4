using System.Drawing;

namespace Interlude.Inference.Vision;

/// <summary>
/// How a source image was placed into a model's input: scaled to fit while keeping its aspect ratio, centred, the
/// rest padded (a letterbox). It maps points and boxes between the two, so that detections made in input pixels
/// come back in source pixels.
/// </summary>
/// <remarks>
/// The source size is that of the image as displayed, after its EXIF orientation. The content's size is rounded
/// to whole input pixels, so its horizontal and vertical scales may differ very slightly; each axis maps with its
/// own.
/// </remarks>
public readonly struct ImageFrame
{
    /// <summary>Describes a placement: the source and input sizes and the content rectangle within the input.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the content is not inside the input.</exception>
    public ImageFrame(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight, Rectangle content)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputHeight, 1);
        if (content.Width < 1 || content.Height < 1 || content.Left < 0 || content.Top < 0
            || content.Right > inputWidth || content.Bottom > inputHeight)
        {
            throw new ArgumentOutOfRangeException(nameof(content), content, "The content must be a non-empty rectangle inside the input.");
        }

        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        InputWidth = inputWidth;
        InputHeight = inputHeight;
        Content = content;
    }

    /// <summary>The source image's width in pixels.</summary>
    public int SourceWidth { get; }

    /// <summary>The source image's height in pixels.</summary>
    public int SourceHeight { get; }

    /// <summary>The model input's width in pixels.</summary>
    public int InputWidth { get; }

    /// <summary>The model input's height in pixels.</summary>
    public int InputHeight { get; }

    /// <summary>Where the scaled source lies within the input, in input pixels; the rest is padding.</summary>
    public Rectangle Content { get; }

    /// <summary>Input pixels per source pixel, horizontally.</summary>
    public float ScaleX => (float)Content.Width / SourceWidth;

    /// <summary>Input pixels per source pixel, vertically.</summary>
    public float ScaleY => (float)Content.Height / SourceHeight;

    /// <summary>
    /// The letterbox of a source of the given size in an input of the given size: the largest scale at which the
    /// whole source fits, the content centred (an odd pixel of padding goes after it).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public static ImageFrame Letterbox(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputHeight, 1);

        double scale = Math.Min((double)inputWidth / sourceWidth, (double)inputHeight / sourceHeight);
        int width = Math.Clamp((int)Math.Round(sourceWidth * scale), 1, inputWidth);
        int height = Math.Clamp((int)Math.Round(sourceHeight * scale), 1, inputHeight);
        var content = new Rectangle((inputWidth - width) / 2, (inputHeight - height) / 2, width, height);
        return new ImageFrame(sourceWidth, sourceHeight, inputWidth, inputHeight, content);
    }

    /// <summary>A point in input pixels, mapped to source pixels.</summary>
    public PointF ToSource(PointF input) =>
        new((input.X - Content.Left) / ScaleX, (input.Y - Content.Top) / ScaleY);

    /// <summary>A point in source pixels, mapped to input pixels.</summary>
    public PointF ToInput(PointF source) =>
        new(source.X * ScaleX + Content.Left, source.Y * ScaleY + Content.Top);

    /// <summary>A rectangle in input pixels, mapped to source pixels.</summary>
    public RectangleF ToSource(RectangleF input)
    {
        PointF topLeft = ToSource(input.Location);
        return new RectangleF(topLeft.X, topLeft.Y, input.Width / ScaleX, input.Height / ScaleY);
    }

    /// <summary>A rectangle in source pixels, mapped to input pixels.</summary>
    public RectangleF ToInput(RectangleF source)
    {
        PointF topLeft = ToInput(source.Location);
        return new RectangleF(topLeft.X, topLeft.Y, source.Width * ScaleX, source.Height * ScaleY);
    }

    /// <summary>The sizes and the content rectangle, for logs and test failures.</summary>
    public override string ToString() =>
        $"{SourceWidth}x{SourceHeight} into {InputWidth}x{InputHeight} at {Content.X},{Content.Y} {Content.Width}x{Content.Height}";
}
