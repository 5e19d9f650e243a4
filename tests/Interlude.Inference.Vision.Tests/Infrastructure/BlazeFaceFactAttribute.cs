using Xunit;

namespace Interlude.Inference.Vision.Tests.Infrastructure;

/// <summary>
/// A fact that runs the BlazeFace models: skipped, saying how to fetch them, when their files are not in the model
/// cache (scripts/fetch-models.sh puts them there; .ci/run calls it).
/// </summary>
public sealed class BlazeFaceFactAttribute : FactAttribute
{
    public BlazeFaceFactAttribute()
    {
        if (!ModelFiles.TryLocate(BlazeFaceModel.Front, out _) || !ModelFiles.TryLocate(BlazeFaceModel.Back, out _))
        {
            Skip = $"The BlazeFace model files are not in {Path.Combine(ModelFiles.RootDirectory, ModelFiles.BlazeFaceFolder)}: " +
                $"run {ModelFiles.FetchScript} (it honours {ModelFiles.EnvironmentVariable}).";
        }
    }
}
