using System.Drawing;
using Interlude.Inference.Vision.Tests.Infrastructure;
using SkiaSharp;
using Xunit;

namespace Interlude.Inference.Vision.Tests;

/// <summary>Decoding, orienting, letterboxing and scaling images into the model's input, and refusing bad ones.</summary>
public sealed class PrepareInputTests
{
    private readonly FaceDetector _detector = new(BlazeFaceModel.Front);

    [Fact]
    public void AWideImageIsCentredOnBlackWithChannelsScaledToMinusOneToOne()
    {
        byte[] png = TestImages.Solid(200, 100, new SKColor(255, 0, 51));
        float[] input = new float[BlazeFaceModel.Front.InputLength];

        ImageFrame frame = _detector.PrepareInput(png, input);

        Assert.Equal(new Rectangle(0, 32, 128, 64), frame.Content);
        Assert.Equal((200, 100), (frame.SourceWidth, frame.SourceHeight));
        AssertPixel(-1f, -1f, -1f, Pixel(input, 64, 10)); // padding above
        AssertPixel(-1f, -1f, -1f, Pixel(input, 64, 120)); // padding below
        AssertPixel(1f, -1f, 51 / 127.5f - 1f, Pixel(input, 64, 64));
    }

    [Fact]
    public void ATallImageIsPaddedLeftAndRight()
    {
        byte[] png = TestImages.Solid(50, 100, SKColors.White);
        float[] input = new float[BlazeFaceModel.Front.InputLength];

        ImageFrame frame = _detector.PrepareInput(png, input);

        Assert.Equal(new Rectangle(32, 0, 64, 128), frame.Content);
        AssertPixel(-1f, -1f, -1f, Pixel(input, 5, 64));
        AssertPixel(1f, 1f, 1f, Pixel(input, 64, 64));
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public void TheCommonFormatsDecodeToTheSameInput(SKEncodedImageFormat format)
    {
        byte[] encoded = TestImages.Halves(160, 120, new SKColor(0, 200, 0), new SKColor(40, 40, 40), format);
        float[] input = new float[BlazeFaceModel.Front.InputLength];

        ImageFrame frame = _detector.PrepareInput(encoded, input);

        Assert.Equal(new Rectangle(0, 16, 128, 96), frame.Content);
        AssertPixel(-1f, 200 / 127.5f - 1f, -1f, Pixel(input, 30, 64), tolerance: 0.05f);
        AssertPixel(40 / 127.5f - 1f, 40 / 127.5f - 1f, 40 / 127.5f - 1f, Pixel(input, 100, 64), tolerance: 0.05f);
    }

    [Fact]
    public void NchwWritesOnePlanePerChannel()
    {
        byte[] png = TestImages.Halves(256, 256, new SKColor(255, 0, 0), new SKColor(0, 0, 255));
        var nhwc = new float[128 * 128 * 3];
        var nchw = new float[128 * 128 * 3];
        var format = new TensorFormat(128, 128, TensorLayout.Nhwc, 0f, 1f);

        ImagePreprocessor.Letterbox(png, nhwc, format, new FaceDetectorOptions());
        ImagePreprocessor.Letterbox(png, nchw, format with { Layout = TensorLayout.Nchw }, new FaceDetectorOptions());

        for (int y = 0; y < 128; y += 9)
        {
            for (int x = 0; x < 128; x += 7)
            {
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(nhwc[(y * 128 + x) * 3 + c], nchw[c * 128 * 128 + y * 128 + x]);
                }
            }
        }

        Assert.Equal(1f, nchw[10 * 128 + 10], 1e-5f); // red plane, left half
        Assert.Equal(1f, nchw[2 * 128 * 128 + 10 * 128 + 120], 1e-5f); // blue plane, right half
    }

    [Fact]
    public void ALargeJpegIsDecodedAtAReducedScaleButFramedAtItsFullSize()
    {
        byte[] jpeg = TestImages.Halves(2400, 1600, SKColors.Black, SKColors.White, SKEncodedImageFormat.Jpeg);
        float[] input = new float[BlazeFaceModel.Front.InputLength];

        ImageFrame frame = _detector.PrepareInput(jpeg, input);

        Assert.Equal((2400, 1600), (frame.SourceWidth, frame.SourceHeight));
        Assert.Equal(new Rectangle(0, 21, 128, 85), frame.Content);
        Assert.True(Pixel(input, 20, 64)[0] < -0.95f);
        Assert.True(Pixel(input, 108, 64)[0] > 0.95f);
    }

    [Fact]
    public void TheExifOrientationIsApplied()
    {
        // Stored 200x100 with red left and blue right; orientation 6 means a quarter turn clockwise to be upright,
        // which brings the stored left edge to the top.
        byte[] jpeg = Exif.WithOrientation(TestImages.Halves(200, 100, new SKColor(255, 0, 0), new SKColor(0, 0, 255), SKEncodedImageFormat.Jpeg), 6);
        float[] input = new float[BlazeFaceModel.Front.InputLength];

        ImageFrame frame = _detector.PrepareInput(jpeg, input);

        Assert.Equal((100, 200), (frame.SourceWidth, frame.SourceHeight));
        Assert.Equal(new Rectangle(32, 0, 64, 128), frame.Content);
        Assert.True(Pixel(input, 64, 20)[0] > 0.9f, "the top should be red");
        Assert.True(Pixel(input, 64, 108)[2] > 0.9f, "the bottom should be blue");
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 })]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF })]
    public void UndecodableBytesThrowInvalidImageException(byte[] bytes)
    {
        var exception = Assert.Throws<InvalidImageException>(() => _detector.PrepareInput(bytes, new float[BlazeFaceModel.Front.InputLength]));
        Assert.IsNotType<ImageTooLargeException>(exception);
    }

    [Fact]
    public void EmptyOrTruncatedImagesThrowInvalidImageException()
    {
        float[] input = new float[BlazeFaceModel.Front.InputLength];
        Assert.Throws<InvalidImageException>(() => _detector.PrepareInput([], input));

        byte[] astronaut = TestImages.Astronaut();
        Assert.Throws<InvalidImageException>(() => _detector.PrepareInput(astronaut.AsSpan(0, astronaut.Length / 2), input));

        byte[] png = TestImages.Noise(64, 64, seed: 1);
        Assert.Throws<InvalidImageException>(() => _detector.PrepareInput(png.AsSpan(0, png.Length - 40), input));
    }

    [Fact]
    public void AnImageOverTheLimitsThrowsImageTooLargeExceptionBeforeDecoding()
    {
        float[] input = new float[BlazeFaceModel.Front.InputLength];
        byte[] astronaut = TestImages.Astronaut(); // 256x256

        var narrow = new FaceDetector(BlazeFaceModel.Front, new FaceDetectorOptions { MaxImageWidth = 255 });
        ImageTooLargeException tooWide = Assert.Throws<ImageTooLargeException>(() => narrow.PrepareInput(astronaut, input));
        Assert.Equal((256, 256), (tooWide.Width, tooWide.Height));

        var small = new FaceDetector(BlazeFaceModel.Front, new FaceDetectorOptions { MaxImagePixels = 256 * 255 });
        Assert.Throws<ImageTooLargeException>(() => small.PrepareInput(astronaut, input));

        var exact = new FaceDetector(BlazeFaceModel.Front, new FaceDetectorOptions { MaxImageWidth = 256, MaxImageHeight = 256, MaxImagePixels = 256 * 256 });
        exact.PrepareInput(astronaut, input);
    }

    [Fact]
    public void ADestinationTooShortIsRejected()
    {
        Assert.Throws<ArgumentException>("destination", () => _detector.PrepareInput(TestImages.Astronaut(), new float[100]));
    }

    private static void AssertPixel(float red, float green, float blue, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(red, actual[0], tolerance);
        Assert.Equal(green, actual[1], tolerance);
        Assert.Equal(blue, actual[2], tolerance);
    }

    private static float[] Pixel(float[] nhwc, int x, int y) => nhwc.AsSpan((y * 128 + x) * 3, 3).ToArray();
}
