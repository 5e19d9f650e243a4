using System.Runtime.CompilerServices;

namespace Interlude.Inference.Vision;

/// <summary>
/// The 16 numbers of one candidate face, in BlazeFace's regressor order: centre x and y, width, height, then the
/// six keypoints' x and y.
/// </summary>
[InlineArray(Length)]
internal struct CandidateGeometry
{
    public const int Length = 16;

    private float _first;
}
