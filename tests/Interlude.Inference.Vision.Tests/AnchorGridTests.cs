using Xunit;

namespace Interlude.Inference.Vision.Tests;

public sealed class AnchorGridTests
{
    [Fact]
    public void BothModelsHave896AnchorsInOutputOrder()
    {
        foreach (BlazeFaceModel model in new[] { BlazeFaceModel.Front, BlazeFaceModel.Back })
        {
            float[] anchors = model.Anchors;
            Assert.Equal(896, model.AnchorCount);
            Assert.Equal(2 * 896, anchors.Length);

            // The 16x16 grid with two anchors per cell comes first: cells row by row, a cell's anchors together.
            Assert.Equal((1f / 32, 1f / 32), (anchors[0], anchors[1]));
            Assert.Equal((1f / 32, 1f / 32), (anchors[2], anchors[3]));
            Assert.Equal((3f / 32, 1f / 32), (anchors[4], anchors[5]));
            Assert.Equal((31f / 32, 31f / 32), (anchors[2 * 511], anchors[2 * 511 + 1]));

            // Then the 8x8 grid with six per cell, from index 512.
            for (int a = 512; a < 518; a++)
            {
                Assert.Equal((1f / 16, 1f / 16), (anchors[2 * a], anchors[2 * a + 1]));
            }

            Assert.Equal((3f / 16, 1f / 16), (anchors[2 * 518], anchors[2 * 518 + 1]));
            Assert.Equal((15f / 16, 15f / 16), (anchors[2 * 895], anchors[2 * 895 + 1]));
        }
    }

    [Fact]
    public void TheOutputDescriptionsAddUpToTheAnchors()
    {
        BlazeFaceModel model = BlazeFaceModel.Front;
        Assert.Equal(model.ScoreLength, model.ScoreOutputs.Sum(o => o.ElementCount));
        Assert.Equal(model.RegressorLength, model.RegressorOutputs.Sum(o => o.ElementCount));
        Assert.Equal(model.InputLength, model.Input.ElementCount);
        Assert.Equal(new long[] { 1, 128, 128, 3 }, model.Input.Shape);
        Assert.Equal(new long[] { 1, 256, 256, 3 }, BlazeFaceModel.Back.Input.Shape);
        Assert.Equal(new[] { "Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0" }, model.Outputs.Select(o => o.Name));
    }
}
