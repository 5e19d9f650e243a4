using System.Net;
using System.Text.Json.Nodes;
using InferenceServer;
using Interlude.InferenceServer.Tests.Infrastructure;
using Xunit;

namespace Interlude.InferenceServer.Tests;

/// <summary>
/// The server over HTTP with the real models: the Open Inference Protocol, text-embeddings-inference's /embed and
/// /detect answer what direct use of the models gives; every bad input gets its 4xx and the server keeps serving.
/// </summary>
public sealed class ServerEndpointTests : IClassFixture<ServerFixture>
{
    private const string Embedder = InferenceServerHost.EmbedderName;

    private readonly ServerFixture _server;

    public ServerEndpointTests(ServerFixture server) => _server = server;

    [Fact]
    public async Task Health_and_metadata_describe_the_served_models()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync(new Uri("/v2/health/live", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync(new Uri($"/v2/models/{Embedder}/ready", UriKind.Relative))).StatusCode);

        JsonNode metadata = await _server.GetJsonAsync($"/v2/models/{Embedder}");
        Assert.Equal(Embedder, (string?)metadata["name"]);
        Assert.Equal("text", (string?)metadata["inputs"]![0]!["name"]);
        Assert.Equal("BYTES", (string?)metadata["inputs"]![0]!["datatype"]);
        Assert.Equal(384, (long)metadata["outputs"]![0]!["shape"]![1]!);

        using HttpResponseMessage unknown = await _server.Client.GetAsync(new Uri("/v2/models/nope", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains(Embedder, await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_protocol_and_embed_give_the_same_unit_vectors_and_similar_sentences_rank_above_unrelated_ones()
    {
        string[] texts = ["A man is playing a guitar.", "Someone plays an instrument.", "The stock market fell sharply today."];
        (int status, JsonNode? embed) = await _server.PostJsonAsync("/embed", $$"""{"inputs": {{Json(texts)}}}""");
        Assert.Equal(200, status);
        float[][] viaEmbed = [.. embed!.AsArray().Select(row => row!.AsArray().Select(v => (float)v!).ToArray())];

        (int inferStatus, JsonNode? infer) = await _server.PostJsonAsync(
            $"/v2/models/{Embedder}/infer",
            $$"""{"id": "r1", "inputs": [{"name": "text", "shape": [3], "datatype": "BYTES", "data": {{Json(texts)}}}]}""");
        Assert.Equal(200, inferStatus);
        Assert.Equal("r1", (string?)infer!["id"]);
        JsonNode output = infer["outputs"]![0]!;
        Assert.Equal([3L, 384L], output["shape"]!.AsArray().Select(d => (long)d!));
        float[] flat = [.. output["data"]!.AsArray().Select(v => (float)v!)];

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(384, viaEmbed[i].Length);
            Assert.Equal(1.0, Math.Sqrt(viaEmbed[i].Sum(v => (double)v * v)), 3);
            for (int d = 0; d < 384; d++)
            {
                Assert.Equal(viaEmbed[i][d], flat[(i * 384) + d], 4);
            }
        }

        Assert.True(Dot(viaEmbed[0], viaEmbed[1]) > Dot(viaEmbed[0], viaEmbed[2]) + 0.2, "the paraphrase is not nearer than the unrelated sentence");
    }

    [Fact]
    public async Task Concurrent_embed_requests_are_batched_on_the_device()
    {
        JsonNode before = await _server.GetJsonAsync($"/v2/models/{Embedder}/stats");
        Task<(int, JsonNode?)>[] requests = [.. Enumerable.Range(0, 64).Select(i => _server.PostJsonAsync("/embed", $$"""{"inputs": "request number {{i}} asks for its embedding"}"""))];
        (int Status, JsonNode? Body)[] answers = await Task.WhenAll(requests);
        JsonNode after = await _server.GetJsonAsync($"/v2/models/{Embedder}/stats");

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        long requestsServed = (long)after["requests_completed"]! - (long)before["requests_completed"]!;
        long batches = (long)after["batches"]! - (long)before["batches"]!;
        Assert.Equal(64, requestsServed);
        Assert.True(batches < requestsServed, $"{requestsServed} requests ran in {batches} batches: none were coalesced");
    }

    [Theory]
    [InlineData("/v2/models/nope/infer", """{"inputs":[{"name":"text","shape":[1],"datatype":"BYTES","data":["x"]}]}""", 404, "No model is named 'nope'")]
    [InlineData("/v2/models/all-minilm-l6-v2/infer", """{"inputs":[{"name":"text","shape":[1],"datatype":"FP32","data":[1]}]}""", 400, "is BYTES, not FP32")]
    [InlineData("/v2/models/all-minilm-l6-v2/infer", """{"inputs":[{"name":"text","shape":[1,1],"datatype":"BYTES","data":["x"]}]}""", 400, "has shape [-1]")]
    [InlineData("/v2/models/all-minilm-l6-v2/infer", """{"inputs":[{"name":"words","shape":[1],"datatype":"BYTES","data":["x"]}]}""", 400, "has no input 'words'")]
    [InlineData("/v2/models/all-minilm-l6-v2/infer", """{"inputs":[{"name":"text","shape":[2],"datatype":"BYTES","data":["x"]}]}""", 400, "its data holds 1")]
    [InlineData("/v2/models/all-minilm-l6-v2/infer", """{"inputs": [""", 400, "not valid JSON")]
    [InlineData("/v2/models/all-minilm-l6-v2/infer", """{"inputs":[{"name":"text","shape":[1],"datatype":"BYTES","data":["x"]}],"outputs":[{"name":"logits"}]}""", 400, "has no output 'logits'")]
    [InlineData("/embed", """{"inputs": 42}""", 422, "must be a string or an array")]
    [InlineData("/embed", """{"inputs": "x", "normalize": false}""", 422, "normalize")]
    [InlineData("/embed", """{"inputs": []}""", 422, "no text")]
    [InlineData("/embed", """not json""", 400, "not valid JSON")]
    public async Task A_bad_request_gets_its_4xx_with_the_reason_and_the_server_goes_on(string path, string body, int expected, string reason)
    {
        (int status, JsonNode? answer) = await _server.PostJsonAsync(path, body);

        Assert.Equal(expected, status);
        Assert.Contains(reason, (string?)answer!["error"], StringComparison.Ordinal);
        (int after, _) = await _server.PostJsonAsync("/embed", """{"inputs": "still serving"}""");
        Assert.Equal(200, after);
    }

    [Fact]
    public async Task A_text_over_the_token_limit_is_refused_unless_truncation_is_asked_for()
    {
        string longText = string.Join(' ', Enumerable.Repeat("word", 400));

        (int refused, JsonNode? reason) = await _server.PostJsonAsync("/embed", $$"""{"inputs": "{{longText}}"}""");
        (int viaProtocol, _) = await _server.PostJsonAsync($"/v2/models/{Embedder}/infer", $$"""{"inputs":[{"name":"text","shape":[1],"datatype":"BYTES","data":["{{longText}}"]}]}""");
        (int truncated, JsonNode? embedding) = await _server.PostJsonAsync("/embed", $$"""{"inputs": "{{longText}}", "truncate": true}""");

        Assert.Equal(422, refused);
        Assert.Contains("at most 256", (string?)reason!["error"], StringComparison.Ordinal);
        Assert.Equal("Validation", (string?)reason["error_type"]);
        Assert.Equal(400, viaProtocol);
        Assert.Equal(200, truncated);
        Assert.Equal(384, embedding![0]!.AsArray().Count);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413()
    {
        string big = new('x', 2 * 1024 * 1024);

        // As a client that means to send a large body asks first: the server refuses from the length alone, before a
        // byte of the body is sent. (Sent unasked, the body meets a connection the server closes after its 413, and
        // whether the client reads the answer before its write fails is a race.)
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/embed", UriKind.Relative))
        {
            Content = new StringContent($$"""{"inputs": "{{big}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using HttpResponseMessage response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        (int status, _) = await _server.PostJsonAsync("/embed", """{"inputs": "still serving"}""");
        Assert.Equal(200, status);
    }

    [FaceModelFact]
    public async Task Detect_finds_the_face_in_the_portrait_and_the_protocol_agrees()
    {
        byte[] image = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestImages", "astronaut.jpg"));
        using var content = new ByteArrayContent(image);
        using HttpResponseMessage response = await _server.Client.PostAsync(new Uri("/detect", UriKind.Relative), content);
        JsonNode detect = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonNode face = Assert.Single(detect["faces"]!.AsArray())!;
        JsonNode box = face["box"]!;
        double iou = Iou((double)box["x"]!, (double)box["y"]!, (double)box["width"]!, (double)box["height"]!, 89, 41, 49, 49);
        Assert.True(iou > 0.5, $"the face box {box.ToJsonString()} overlaps the face by IoU {iou:F2}");
        Assert.Equal(6, face["keypoints"]!.AsArray().Count);

        (int status, JsonNode? infer) = await _server.PostJsonAsync(
            $"/v2/models/{InferenceServerHost.FacesName}/infer",
            $$"""{"inputs":[{"name":"image","shape":[1],"datatype":"BYTES","data":["{{Convert.ToBase64String(image)}}"]}]}""");
        Assert.Equal(200, status);
        JsonNode boxes = infer!["outputs"]!.AsArray().Single(o => (string?)o!["name"] == "boxes")!;
        Assert.Equal([1L, 4L], boxes["shape"]!.AsArray().Select(d => (long)d!));
        Assert.Equal((double)box["x"]!, (double)boxes["data"]![0]!, 3);
    }

    [FaceModelFact]
    public async Task The_raw_onnx_model_takes_and_gives_fp32_tensors_of_its_declared_shapes()
    {
        JsonNode metadata = await _server.GetJsonAsync($"/v2/models/{InferenceServerHost.FaceOnnxName}");
        JsonNode input = metadata["inputs"]![0]!;
        long[] shape = [.. input["shape"]!.AsArray().Select(d => (long)d!)];
        long count = shape.Aggregate(1L, (a, b) => a * b);

        (int status, JsonNode? infer) = await _server.PostJsonAsync(
            $"/v2/models/{InferenceServerHost.FaceOnnxName}/infer",
            $$"""{"inputs":[{"name":"{{(string?)input["name"]}}","shape":{{Json(shape)}},"datatype":"FP32","data":[{{string.Join(',', Enumerable.Repeat("0", (int)count))}}]}]}""");

        Assert.Equal(200, status);
        Assert.Equal(metadata["outputs"]!.AsArray().Count, infer!["outputs"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_undecodable_image_is_a_400_with_the_reason()
    {
        using var content = new ByteArrayContent("this is not an image"u8.ToArray());
        using HttpResponseMessage response = await _server.Client.PostAsync(new Uri("/detect", UriKind.Relative), content);

        // Without the face model installed, /detect answers 503 naming the script instead.
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.ServiceUnavailable, $"{response.StatusCode}");
        string error = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Contains(response.StatusCode == HttpStatusCode.BadRequest ? "not an image" : "fetch-models.sh", error, StringComparison.Ordinal);
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    private static double Iou(double x, double y, double w, double h, double ex, double ey, double ew, double eh)
    {
        double ix = Math.Max(0, Math.Min(x + w, ex + ew) - Math.Max(x, ex));
        double iy = Math.Max(0, Math.Min(y + h, ey + eh) - Math.Max(y, ey));
        double inter = ix * iy;
        return inter / ((w * h) + (ew * eh) - inter);
    }
}
