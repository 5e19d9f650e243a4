using System.Drawing;

namespace Interlude.Inference.Vision.Tests.Infrastructure;

internal static class Boxes
{
    public static float IntersectionOverUnion(RectangleF a, RectangleF b)
    {
        RectangleF intersection = RectangleF.Intersect(a, b);
        float shared = intersection.IsEmpty ? 0f : intersection.Width * intersection.Height;
        return shared / (a.Width * a.Height + b.Width * b.Height - shared);
    }
}
