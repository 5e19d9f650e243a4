using System.Buffers.Binary;
using Interlude.Talk.Engines;
using Interlude.Talk.Tools;

namespace Interlude.Talk.Speech;

/// <summary>A talk's audio, extracted once as 16 kHz mono samples, cut per slide.</summary>
internal sealed class AudioTrack
{
    /// <summary>The sample rate every recognizer is given.</summary>
    public const int SampleRate = 16_000;

    private readonly float[] _samples;

    public AudioTrack(float[] samples) => _samples = samples;

    /// <summary>The whole talk's length.</summary>
    public double Seconds => (double)_samples.Length / SampleRate;

    /// <summary>Decodes the first audio stream of <paramref name="video"/> with ffmpeg to 16 kHz mono.</summary>
    public static AudioTrack Extract(string video, CancellationToken cancellationToken)
    {
        ToolResult result = ExternalTool.RunChecked(
            "ffmpeg",
            ["-hide_banner", "-nostdin", "-v", "error", "-i", video, "-map", "0:a:0", "-vn", "-ac", "1", "-ar", "16000", "-f", "s16le", "-"],
            "audio extraction",
            cancellationToken);
        return new AudioTrack(FromPcm16(result.StandardOutput));
    }

    /// <summary>Little-endian signed 16-bit PCM to samples in [-1, 1].</summary>
    internal static float[] FromPcm16(ReadOnlySpan<byte> pcm)
    {
        var samples = new float[pcm.Length / 2];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm.Slice(2 * i, 2)) / 32768f;
        }

        return samples;
    }

    /// <summary>The samples from <paramref name="start"/> to <paramref name="end"/> seconds (clamped to the track).</summary>
    public ReadOnlyMemory<float> Slice(double start, double end)
    {
        int from = Math.Clamp((int)Math.Round(start * SampleRate), 0, _samples.Length);
        int to = Math.Clamp((int)Math.Round(end * SampleRate), from, _samples.Length);
        return _samples.AsMemory(from, to - from);
    }
}
