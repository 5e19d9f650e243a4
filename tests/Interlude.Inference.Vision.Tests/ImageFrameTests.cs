using System.Drawing;
using Xunit;

namespace Interlude.Inference.Vision.Tests;

public sealed class ImageFrameTests
{
    [Theory]
    [InlineData(256, 256, 0, 0, 128, 128)]
    [InlineData(640, 480, 0, 16, 128, 96)]
    [InlineData(480, 640, 16, 0, 96, 128)]
    [InlineData(1000, 10, 0, 63, 128, 1)]
    [InlineData(64, 32, 0, 32, 128, 64)]
    [InlineData(3, 1000, 63, 0, 1, 128)]
    public void TheContentFitsCentredKeepingTheAspectRatio(int width, int height, int left, int top, int contentWidth, int contentHeight)
    {
        ImageFrame frame = ImageFrame.Letterbox(width, height, 128, 128);

        Assert.Equal(new Rectangle(left, top, contentWidth, contentHeight), frame.Content);
        Assert.Equal((width, height, 128, 128), (frame.SourceWidth, frame.SourceHeight, frame.InputWidth, frame.InputHeight));
    }

    [Theory]
    [InlineData(640, 480)]
    [InlineData(480, 640)]
    [InlineData(333, 777)]
    [InlineData(4000, 3000)]
    [InlineData(50, 50)]
    public void PointsAndBoxesRoundTrip(int width, int height)
    {
        ImageFrame frame = ImageFrame.Letterbox(width, height, 128, 128);
        var points = new[] { new PointF(0, 0), new PointF(width, height), new PointF(width / 3f, height * 0.7f) };
        foreach (PointF point in points)
        {
            PointF back = frame.ToSource(frame.ToInput(point));
            Assert.Equal(point.X, back.X, width * 1e-5f);
            Assert.Equal(point.Y, back.Y, height * 1e-5f);
        }

        var box = new RectangleF(width * 0.25f, height * 0.4f, width * 0.5f, height * 0.2f);
        RectangleF input = frame.ToInput(box);
        RectangleF source = frame.ToSource(input);
        Assert.Equal(box.X, source.X, width * 1e-5f);
        Assert.Equal(box.Y, source.Y, height * 1e-5f);
        Assert.Equal(box.Width, source.Width, width * 1e-5f);
        Assert.Equal(box.Height, source.Height, height * 1e-5f);
    }

    [Fact]
    public void TheSourceCornersLandOnTheContentCorners()
    {
        ImageFrame frame = ImageFrame.Letterbox(640, 480, 128, 128);

        Assert.Equal(new PointF(0, 16), frame.ToInput(new PointF(0, 0)));
        Assert.Equal(new PointF(128, 112), frame.ToInput(new PointF(640, 480)));
        Assert.Equal(new PointF(320, 240), frame.ToSource(new PointF(64, 64)));

        // A point in the padding maps outside the source.
        Assert.True(frame.ToSource(new PointF(64, 4)).Y < 0);
    }

    [Fact]
    public void ANonPositiveSizeOrAContentOutsideTheInputIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFrame.Letterbox(0, 10, 128, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFrame.Letterbox(10, 10, 128, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageFrame(10, 10, 128, 128, new Rectangle(100, 0, 29, 128)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageFrame(10, 10, 128, 128, new Rectangle(0, 0, 0, 128)));
    }
}
