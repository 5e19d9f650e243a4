using Xunit;

namespace Interlude.Inference.Tests;

public sealed class TensorTests
{
    [Fact]
    public void ATensorKeepsItsNameTypeShapeAndData()
    {
        float[] data = [1, 2, 3, 4, 5, 6];
        var tensor = new InferenceTensor("x", data, [2, 3]);

        Assert.Equal("x", tensor.Name);
        Assert.Equal(TensorDataType.Float32, tensor.DataType);
        Assert.Equal(new long[] { 2, 3 }, tensor.Shape);
        Assert.Equal(6, tensor.ElementCount);
        Assert.Equal(data, tensor.GetData<float>().ToArray());
        Assert.Equal("x: Float32 [2, 3]", tensor.ToString());
        Assert.Equal(TensorDataType.Int32, new InferenceTensor("i", new int[] { 7 }, [1]).DataType);
        Assert.Equal(TensorDataType.Int64, new InferenceTensor("l", new long[] { 7 }, []).DataType);
    }

    [Fact]
    public void ReadingDataAsAnotherTypeFails()
    {
        var tensor = new InferenceTensor("x", new long[] { 1, 2 }, [2]);

        Assert.Throws<InvalidOperationException>(() => tensor.GetData<float>());
        Assert.Throws<InvalidOperationException>(() => tensor.GetData<int>());
        Assert.Equal(new long[] { 1, 2 }, tensor.GetData<long>().ToArray());
    }

    [Fact]
    public void AShapeThatDoesNotFitItsDataIsAnInputError()
    {
        InferenceInputException negative = Assert.Throws<InferenceInputException>(() => new InferenceTensor("x", new float[2], [-1, 2]));
        Assert.Equal(InferenceInputError.WrongShape, negative.Error);
        Assert.Equal("x", negative.InputName);

        InferenceInputException count = Assert.Throws<InferenceInputException>(() => new InferenceTensor("y", new float[5], [2, 3]));
        Assert.Equal(InferenceInputError.WrongShape, count.Error);
        Assert.Contains("needs 6 elements", count.Message);

        Assert.Throws<ArgumentException>(() => new InferenceTensor("", new float[1], [1]));
    }
}
