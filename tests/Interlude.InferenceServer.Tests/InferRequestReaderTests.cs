using System.Text;
using InferenceServer.Protocol;
using Xunit;

namespace Interlude.InferenceServer.Tests;

public sealed class InferRequestReaderTests
{
    [Fact]
    public void Flat_and_nested_data_read_alike_in_row_major_order()
    {
        InferRequest flat = Read("""{"id":"a1","inputs":[{"name":"x","shape":[2,3],"datatype":"FP32","data":[1,2,3,4,5,6.5]}]}""");
        InferRequest nested = Read("""{"inputs":[{"name":"x","shape":[2,3],"datatype":"FP32","data":[[1,2,3],[4,5,6.5]]}],"outputs":[{"name":"y"}]}""");

        Assert.Equal("a1", flat.Id);
        Assert.Null(flat.Outputs);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6.5f }, flat.Inputs[0].As<float>());
        Assert.Equal(flat.Inputs[0].As<float>(), nested.Inputs[0].As<float>());
        Assert.Equal(new long[] { 2, 3 }, nested.Inputs[0].Shape);
        Assert.Equal(["y"], nested.Outputs!);
    }

    [Fact]
    public void Every_data_type_reads_into_its_own_array_type()
    {
        InferRequest request = Read("""
            {"inputs":[
              {"name":"b","shape":[2],"datatype":"BOOL","data":[true,false]},
              {"name":"u","shape":[2],"datatype":"UINT8","data":[0,255]},
              {"name":"i","shape":[1],"datatype":"INT32","data":[-7]},
              {"name":"l","shape":[2],"datatype":"INT64","data":[101,9007199254740993]},
              {"name":"d","shape":[1],"datatype":"FP64","data":[0.1]},
              {"name":"s","shape":[2],"datatype":"BYTES","data":["héllo",""]}]}
            """);

        Assert.Equal(new[] { true, false }, request.Inputs[0].As<bool>());
        Assert.Equal(new byte[] { 0, 255 }, request.Inputs[1].As<byte>());
        Assert.Equal(new[] { -7 }, request.Inputs[2].As<int>());
        Assert.Equal(new[] { 101L, 9007199254740993L }, request.Inputs[3].As<long>());
        Assert.Equal(new[] { 0.1 }, request.Inputs[4].As<double>());
        Assert.Equal(new[] { "héllo", "" }, request.Inputs[5].As<string>());
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"inputs":{}}""", "no \"inputs\" array")]
    [InlineData("""{"inputs":[]}""", "empty")]
    [InlineData("""{"inputs":[{"shape":[1],"datatype":"FP32","data":[1]}]}""", "no string \"name\"")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FLOAT","data":[1]}]}""", "datatype \"FLOAT\"")]
    [InlineData("""{"inputs":[{"name":"x","shape":[-1],"datatype":"FP32","data":[1]}]}""", "non-negative integer")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1.5],"datatype":"FP32","data":[1]}]}""", "non-negative integer")]
    [InlineData("""{"inputs":[{"name":"x","shape":[2],"datatype":"FP32","data":[1]}]}""", "its data holds 1")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1,2,3]}]}""", "its data holds 2")]
    [InlineData("""{"inputs":[{"name":"x","shape":[2],"datatype":"INT64","data":[1,"two"]}]}""", "element 1 is \"two\", not a INT64")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"INT32","data":[1.5]}]}""", "not a INT32")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"UINT8","data":[256]}]}""", "not a UINT8")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1e39]}]}""", "not a FP32")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"BYTES","data":[1]}]}""", "not a BYTES")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32"}]}""", "no \"data\" array")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]},{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}""", "more than once")]
    [InlineData("""{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],"outputs":["y"]}""", "string \"name\"")]
    public void A_malformed_request_is_a_400_that_says_what_is_wrong(string json, string expected)
    {
        InferenceRequestException error = Assert.Throws<InferenceRequestException>(() => Read(json));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_elements_than_a_request_may_carry_is_a_413_before_the_data_is_read()
    {
        InferenceRequestException over = Assert.Throws<InferenceRequestException>(() =>
            Read("""{"inputs":[{"name":"x","shape":[3,4],"datatype":"FP32","data":[]}]}""", maxElements: 10));
        InferenceRequestException overflow = Assert.Throws<InferenceRequestException>(() =>
            Read("""{"inputs":[{"name":"x","shape":[9223372036854775807,9223372036854775807],"datatype":"FP32","data":[]}]}"""));
        InferenceRequestException sum = Assert.Throws<InferenceRequestException>(() =>
            Read("""{"inputs":[{"name":"a","shape":[6],"datatype":"FP32","data":[1,2,3,4,5,6]},{"name":"b","shape":[6],"datatype":"FP32","data":[1,2,3,4,5,6]}]}""", maxElements: 10));

        Assert.Equal(413, over.StatusCode);
        Assert.Equal(413, overflow.StatusCode);
        Assert.Equal(413, sum.StatusCode);
        Assert.Contains("'b'", sum.Message, StringComparison.Ordinal);
    }

    private static InferRequest Read(string json, long maxElements = InferRequestReader.DefaultMaxElements)
        => InferRequestReader.Read(Encoding.UTF8.GetBytes(json), maxElements);
}
