using SkiaSharp;

namespace Interlude.Inference.Vision;

/// <summary>
/// Turns encoded image bytes into a model's input tensor: decode (at a reduced scale when the format allows and
/// the image is much larger than the input), turn upright by its EXIF orientation, letterbox into the input size on
/// black, and write each channel scaled from [0, 255] to [minimum, maximum] in the requested layout.
/// </summary>
internal static class ImagePreprocessor
{
    // Bilinear between the two nearest mipmap levels: a clean downscale at any factor.
    private static readonly SKSamplingOptions s_sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    public static ImageFrame Letterbox(
        ReadOnlySpan<byte> encoded,
        Span<float> destination,
        in TensorFormat format,
        FaceDetectorOptions limits)
    {
        int length = format.Width * format.Height * 3;
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; the input needs {length}.", nameof(destination));
        }

        if (encoded.IsEmpty)
        {
            throw new InvalidImageException("The image is empty: no bytes were given.");
        }

        using SKData data = SKData.CreateCopy(encoded);
        using SKCodec? codec = SKCodec.Create(data);
        if (codec is null)
        {
            throw new InvalidImageException("The bytes are not an image in a format the decoder reads (JPEG, PNG, WebP, GIF, BMP, ICO or WBMP).");
        }

        SKImageInfo encodedInfo = codec.Info;
        CheckLimits(encodedInfo.Width, encodedInfo.Height, limits);

        SKEncodedOrigin origin = codec.EncodedOrigin;
        bool swapsAxes = ImageOrientation.SwapsAxes(origin);
        int sourceWidth = swapsAxes ? encodedInfo.Height : encodedInfo.Width;
        int sourceHeight = swapsAxes ? encodedInfo.Width : encodedInfo.Height;
        ImageFrame frame = ImageFrame.Letterbox(sourceWidth, sourceHeight, format.Width, format.Height);

        // A JPEG decodes at 1/8 steps for little more than the cost of the smaller image; keep at least twice the
        // content's resolution so that the final resize still has pixels to average.
        float wanted = MathF.Min(1f, 2f * MathF.Max(frame.ScaleX, frame.ScaleY));
        SKSizeI decodedSize = wanted < 1f ? codec.GetScaledDimensions(wanted) : encodedInfo.Size;
        var decodedInfo = new SKImageInfo(decodedSize.Width, decodedSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(decodedInfo);
        SKCodecResult result = codec.GetPixels(decodedInfo, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new InvalidImageException($"The image could not be decoded whole ({result}): it is corrupt or truncated.");
        }

        var inputInfo = new SKImageInfo(format.Width, format.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var input = new SKBitmap(inputInfo);
        using (var canvas = new SKCanvas(input))
        {
            canvas.Clear(SKColors.Black);
            int uprightWidth = swapsAxes ? decodedSize.Height : decodedSize.Width;
            int uprightHeight = swapsAxes ? decodedSize.Width : decodedSize.Height;
            canvas.Translate(frame.Content.Left, frame.Content.Top);
            canvas.Scale((float)frame.Content.Width / uprightWidth, (float)frame.Content.Height / uprightHeight);
            SKMatrix upright = ImageOrientation.ToUpright(origin, decodedSize.Width, decodedSize.Height);
            canvas.Concat(in upright);
            canvas.DrawBitmap(decoded, 0, 0, s_sampling, null);
        }

        WriteTensor(input.GetPixelSpan(), input.RowBytes, destination, format);
        return frame;
    }

    internal static void CheckLimits(int width, int height, FaceDetectorOptions limits)
    {
        if (width < 1 || height < 1)
        {
            throw new InvalidImageException($"The image declares an empty size ({width}x{height}).");
        }

        if (width > limits.MaxImageWidth || height > limits.MaxImageHeight || (long)width * height > limits.MaxImagePixels)
        {
            throw new ImageTooLargeException(
                width,
                height,
                $"The image is {width}x{height} pixels; at most {limits.MaxImageWidth}x{limits.MaxImageHeight} " +
                $"and {limits.MaxImagePixels} pixels in all are accepted.");
        }
    }

    /// <summary>Writes RGBA pixels (alpha ignored) as normalized RGB floats in the format's layout.</summary>
    internal static void WriteTensor(ReadOnlySpan<byte> rgba, int rowBytes, Span<float> destination, in TensorFormat format)
    {
        int width = format.Width;
        int height = format.Height;
        float scale = (format.Maximum - format.Minimum) / 255f;
        float offset = format.Minimum;
        int plane = width * height;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = rgba.Slice(y * rowBytes, width * 4);
            for (int x = 0; x < width; x++)
            {
                float r = row[4 * x] * scale + offset;
                float g = row[4 * x + 1] * scale + offset;
                float b = row[4 * x + 2] * scale + offset;
                int pixel = y * width + x;
                if (format.Layout == TensorLayout.Nhwc)
                {
                    destination[3 * pixel] = r;
                    destination[3 * pixel + 1] = g;
                    destination[3 * pixel + 2] = b;
                }
                else
                {
                    destination[pixel] = r;
                    destination[plane + pixel] = g;
                    destination[2 * plane + pixel] = b;
                }
            }
        }
    }
}
