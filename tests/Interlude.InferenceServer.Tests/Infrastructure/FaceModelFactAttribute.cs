using Interlude.Inference.Vision;
using Xunit;

namespace Interlude.InferenceServer.Tests.Infrastructure;

/// <summary>A test of the face endpoints: skipped, saying how to fetch the model, when its file is not installed.</summary>
public sealed class FaceModelFactAttribute : FactAttribute
{
    public FaceModelFactAttribute()
    {
        if (!ModelFiles.TryLocate(BlazeFaceModel.Front, out _))
        {
            Skip = $"The BlazeFace model is not installed ({ModelFiles.GetPath(BlazeFaceModel.Front)}): run {ModelFiles.FetchScript}.";
        }
    }
}
