namespace Interlude.Talk.Tests.Engines.Models;

/// <summary>
/// A temporary folder holding the models one test class generates (a class fixture: written once per class, deleted
/// after its tests). The files are seeded, so every run writes the same bytes.
/// </summary>
public sealed class GeneratedModelFolder : IDisposable
{
    private readonly Lazy<string> _whisper;
    private readonly Lazy<string> _llama;
    private readonly Lazy<string> _llamaChatMl;
    private readonly Lazy<string> _llamaScripted;

    public GeneratedModelFolder()
    {
        Path = Directory.CreateTempSubdirectory("interlude-talk-models-").FullName;
        _whisper = new Lazy<string>(() => Generate("tiny-whisper.bin", p => TinyWhisperModel.Write(p, seed: 7)));
        _llama = new Lazy<string>(() => Generate("tiny-llama.gguf", p => TinyLlamaModel.Write(p, seed: 11)));
        _llamaChatMl = new Lazy<string>(() => Generate("tiny-llama-chatml.gguf", p => TinyLlamaModel.Write(p, seed: 11, TinyLlamaModel.ChatMlTemplate)));
        _llamaScripted = new Lazy<string>(() => Generate("tiny-llama-scripted.gguf", p => TinyLlamaModel.Write(p, seed: 11, script: ScriptedAnswer)));
    }

    public string Path { get; }

    /// <summary>A random-weight Whisper model in whisper.cpp's ggml layout.</summary>
    public string WhisperModel => _whisper.Value;

    /// <summary>A random-weight llama GGUF without a chat template.</summary>
    public string LlamaModel => _llama.Value;

    /// <summary>The same llama GGUF carrying a ChatML chat template.</summary>
    public string LlamaChatMlModel => _llamaChatMl.Value;

    /// <summary>The word pieces the scripted llama model answers, in order, before it ends its turn.</summary>
    public static IReadOnlyList<string> ScriptedAnswer { get; } = ["▁the", "▁Interlude", "▁runtime"];

    /// <summary>A programmed llama GGUF that answers <see cref="ScriptedAnswer"/> and then ends its turn.</summary>
    public string LlamaScriptedModel => _llamaScripted.Value;

    /// <summary>A file with <paramref name="bytes"/> under this folder (a corrupt model, say).</summary>
    public string WriteFile(string name, byte[] bytes)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A native library may still map a file; the temp folder is cleaned by the system.
        }
    }

    private string Generate(string name, Action<string> write)
    {
        string path = System.IO.Path.Combine(Path, name);
        write(path);
        return path;
    }
}
