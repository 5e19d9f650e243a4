using Interlude.Talk.Engines;
using Interlude.Talk.Engines.Whisper;
using Interlude.Talk.Tests.Engines.Models;
using Xunit;

namespace Interlude.Talk.Tests.Engines;

/// <summary>
/// Whisper on a generated random-weight model: these prove the file loads, audio goes in and one line of text comes
/// out, and that a bad file fails clearly. Random weights say nothing of recognition quality.
/// </summary>
public sealed class WhisperRecognizerTests(GeneratedModelFolder models) : IClassFixture<GeneratedModelFolder>
{
    private const int SampleRate = 16_000;

    [Fact]
    public void Loads_a_generated_model_and_transcribes_a_second_of_tone_and_noise_to_one_line_the_same_twice()
    {
        using var recognizer = new WhisperRecognizer(models.WhisperModel, new WhisperRecognizerOptions { Threads = 1 });

        string text = recognizer.Transcribe(ToneAndNoise(SampleRate), "en", CancellationToken.None);
        string again = recognizer.Transcribe(ToneAndNoise(SampleRate), "en", CancellationToken.None);

        Assert.NotNull(text);
        Assert.Equal(text, again);
        Assert.DoesNotContain('\n', text);
        Assert.Equal(text.Trim(), text);
        Assert.Equal("whisper", recognizer.Name);
    }

    [Fact]
    public void Returns_nothing_for_no_samples()
    {
        using var recognizer = new WhisperRecognizer(models.WhisperModel, new WhisperRecognizerOptions { Threads = 1 });

        Assert.Equal(string.Empty, recognizer.Transcribe(ReadOnlySpan<float>.Empty, "en", CancellationToken.None));
    }

    [Fact]
    public void A_missing_model_file_fails_naming_the_file()
    {
        string path = Path.Combine(models.Path, "no-such-model.bin");

        var ex = Assert.Throws<TalkEngineException>(() => new WhisperRecognizer(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_model_file_fails_naming_the_file()
    {
        string path = models.WriteFile("corrupt-whisper.bin", "ggml? no, just some text that is not a model"u8.ToArray());

        var ex = Assert.Throws<TalkEngineException>(() => new WhisperRecognizer(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("could not be loaded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_model_file_fails_naming_the_file()
    {
        byte[] whole = File.ReadAllBytes(models.WhisperModel);
        string path = models.WriteFile("truncated-whisper.bin", whole[..(whole.Length / 2)]);

        var ex = Assert.Throws<TalkEngineException>(() => new WhisperRecognizer(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Joins_segments_into_one_line()
    {
        Assert.Equal("per-core loops and offloads", WhisperRecognizer.JoinLines("  per-core loops\n and\toffloads \r\n"));
    }

    private static float[] ToneAndNoise(int count)
    {
        var random = new Random(3);
        var samples = new float[count];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (0.3f * MathF.Sin(2 * MathF.PI * 440 * i / SampleRate)) + (0.05f * ((float)random.NextDouble() - 0.5f));
        }

        return samples;
    }
}
