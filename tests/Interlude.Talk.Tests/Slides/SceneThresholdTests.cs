using Interlude.Talk.Slides;
using Xunit;

namespace Interlude.Talk.Tests.Slides;

public sealed class SceneThresholdTests
{
    /// <summary>A minute at 25 frames/s: encoder noise near 0.015 and five text-only slide changes of 0.05-0.08.</summary>
    private static List<SceneScore> TextOnlyChanges()
    {
        var random = new Random(7);
        var scores = new List<SceneScore>();
        for (int frame = 0; frame < 1500; frame++)
        {
            scores.Add(new SceneScore(frame / 25.0, 0.010 + (0.01 * random.NextDouble())));
        }

        double[] cuts = [0.05, 0.08, 0.06, 0.07, 0.055];
        for (int i = 0; i < cuts.Length; i++)
        {
            int frame = 250 * (i + 1);
            scores[frame] = new SceneScore(frame / 25.0, cuts[i]);
        }

        return scores;
    }

    [Fact]
    public void Separates_text_only_changes_from_the_noise_floor()
    {
        List<SceneScore> scores = TextOnlyChanges();
        double threshold = SceneThreshold.Choose(scores) ?? throw new Xunit.Sdk.XunitException("no threshold chosen");
        Assert.InRange(threshold, 0.02, 0.05);
        IReadOnlyList<SlideSpan> slides = SlideCutter.Cut(scores, threshold, 60);
        Assert.Equal([0, 10, 20, 30, 40, 50], slides.Select(s => s.Start));
        Assert.Equal(60, slides[^1].End);
    }

    [Fact]
    public void The_usual_fixed_threshold_misses_them()
    {
        Assert.Single(SlideCutter.Cut(TextOnlyChanges(), 0.3, 60));
    }

    [Fact]
    public void Noise_alone_is_one_slide()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 500).Select(i => new SceneScore(i / 25.0, 0.01 + (0.01 * random.NextDouble()))).ToList();
        Assert.Null(SceneThreshold.Choose(scores));
        Assert.Single(SlideCutter.Cut(scores, null, 20));
    }

    [Fact]
    public void Near_zero_noise_of_a_still_video_does_not_win()
    {
        // A synthetic video's stills: the noise is 1e-5, and one cut of 0.06 and one of 1.0 (title to body).
        var scores = Enumerable.Range(0, 300).Select(i => new SceneScore(i / 10.0, 0.00001 * (i % 7))).ToList();
        scores[77] = new SceneScore(7.7, 1.0);
        scores[174] = new SceneScore(17.4, 0.06);
        double threshold = SceneThreshold.Choose(scores)!.Value;
        Assert.Equal([0, 7.7, 17.4], SlideCutter.Cut(scores, threshold, 30).Select(s => s.Start));
    }

    [Fact]
    public void Cuts_closer_than_a_second_are_one_slide_change()
    {
        var scores = new List<SceneScore> { new(5.0, 0.5), new(5.2, 0.5), new(5.4, 0.5), new(9.0, 0.5) };
        Assert.Equal([0, 5.0, 9.0], SlideCutter.Cut(scores, 0.1, 12).Select(s => s.Start));
    }

    [Fact]
    public void Reads_ffmpeg_metadata_print_lines()
    {
        const string Text = "frame:0    pts:0       pts_time:0\nlavfi.scene_score=0.000000\nframe:1    pts:1024    pts_time:0.1\nlavfi.scene_score=0.059950\n";
        Assert.Equal([new SceneScore(0, 0), new SceneScore(0.1, 0.05995)], SceneScanner.Parse(Text));
    }
}
