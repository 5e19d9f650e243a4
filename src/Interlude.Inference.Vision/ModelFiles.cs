using System.Diagnostics.CodeAnalysis;

namespace Interlude.Inference.Vision;

/// <summary>
/// Where the model files are. They are never part of the repository or the package: <c>scripts/fetch-models.sh</c>
/// puts them in a cache folder, <c>$INTERLUDE_MODELS</c> when that is set and otherwise
/// <c>~/.cache/interlude/models</c>, and this class looks in the same place.
/// </summary>
public static class ModelFiles
{
    /// <summary>The environment variable that names the models' root folder.</summary>
    public const string EnvironmentVariable = "INTERLUDE_MODELS";

    /// <summary>The script, relative to the repository's root, that downloads the model files.</summary>
    public const string FetchScript = "scripts/fetch-models.sh";

    /// <summary>The folder under <see cref="RootDirectory"/> that holds the BlazeFace models.</summary>
    public const string BlazeFaceFolder = "blazeface";

    /// <summary>
    /// The models' root folder: <c>$INTERLUDE_MODELS</c> when it is set and not empty, otherwise
    /// <c>.cache/interlude/models</c> in the user's home folder. Read anew on each call.
    /// </summary>
    public static string RootDirectory
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }

            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.Combine(home, ".cache", "interlude", "models");
        }
    }

    /// <summary>Where the model's file is expected, whether or not it is there.</summary>
    public static string GetPath(BlazeFaceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Path.Combine(RootDirectory, BlazeFaceFolder, model.FileName);
    }

    /// <summary>The model's file if it is there.</summary>
    /// <returns>Whether the file exists; <paramref name="path"/> is its full path when it does.</returns>
    public static bool TryLocate(BlazeFaceModel model, [NotNullWhen(true)] out string? path)
    {
        string expected = GetPath(model);
        path = File.Exists(expected) ? expected : null;
        return path is not null;
    }

    /// <summary>The model's file.</summary>
    /// <exception cref="FileNotFoundException">The file is not there; the message says how to fetch it.</exception>
    public static string Locate(BlazeFaceModel model)
    {
        if (TryLocate(model, out string? path))
        {
            return path;
        }

        string expected = GetPath(model);
        throw new FileNotFoundException(
            $"The {model.Name} model file is missing: expected {expected}. Run {FetchScript} to download it " +
            $"(it honours {EnvironmentVariable}, which must name the same folder here).",
            expected);
    }
}
