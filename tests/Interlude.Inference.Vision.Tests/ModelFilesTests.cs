using Xunit;

namespace Interlude.Inference.Vision.Tests;

/// <summary>Finding the model files; these tests change INTERLUDE_MODELS and put it back (the assembly runs tests one at a time).</summary>
public sealed class ModelFilesTests
{
    [Fact]
    public void TheEnvironmentVariableNamesTheRoot()
    {
        string folder = Path.Combine(Path.GetTempPath(), "interlude-models-" + Guid.NewGuid().ToString("N"));
        WithRoot(folder, () =>
        {
            Assert.Equal(folder, ModelFiles.RootDirectory);
            Assert.Equal(Path.Combine(folder, "blazeface", "face_detection_front_128x128_barracuda.onnx"), ModelFiles.GetPath(BlazeFaceModel.Front));
            Assert.False(ModelFiles.TryLocate(BlazeFaceModel.Front, out string? missing));
            Assert.Null(missing);

            Directory.CreateDirectory(Path.Combine(folder, "blazeface"));
            File.WriteAllBytes(ModelFiles.GetPath(BlazeFaceModel.Back), [0]);
            try
            {
                Assert.True(ModelFiles.TryLocate(BlazeFaceModel.Back, out string? found));
                Assert.Equal(ModelFiles.GetPath(BlazeFaceModel.Back), found);
                Assert.Equal(found, ModelFiles.Locate(BlazeFaceModel.Back));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        });
    }

    [Fact]
    public void WithoutTheVariableTheRootIsInTheHomeCache()
    {
        WithRoot(null, () =>
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(home, ".cache", "interlude", "models"), ModelFiles.RootDirectory);
        });
    }

    [Fact]
    public void AMissingModelNamesTheScriptThatFetchesIt()
    {
        string folder = Path.Combine(Path.GetTempPath(), "interlude-models-" + Guid.NewGuid().ToString("N"));
        WithRoot(folder, () =>
        {
            FileNotFoundException exception = Assert.Throws<FileNotFoundException>(() => ModelFiles.Locate(BlazeFaceModel.Front));
            Assert.Contains("scripts/fetch-models.sh", exception.Message);
            Assert.Contains("INTERLUDE_MODELS", exception.Message);
            Assert.Equal(ModelFiles.GetPath(BlazeFaceModel.Front), exception.FileName);
        });
    }

    private static void WithRoot(string? root, Action action)
    {
        string? saved = Environment.GetEnvironmentVariable(ModelFiles.EnvironmentVariable);
        Environment.SetEnvironmentVariable(ModelFiles.EnvironmentVariable, root);
        try
        {
            action();
        }
        finally
        {
            Environment.SetEnvironmentVariable(ModelFiles.EnvironmentVariable, saved);
        }
    }
}
