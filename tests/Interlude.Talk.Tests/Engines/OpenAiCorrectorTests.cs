using System.Text.Json;
using Interlude.Talk.Engines;
using Interlude.Talk.Engines.OpenAi;
using Interlude.Talk.Tests.Engines.Fakes;
using Xunit;

namespace Interlude.Talk.Tests.Engines;

/// <summary>The OpenAI-compatible corrector against an in-test chat-completions endpoint that records what it is sent.</summary>
public sealed class OpenAiCorrectorTests : IDisposable
{
    private static readonly CorrectionRequest s_request = new(
        "so the inter lewd runtime runs a loop per core",
        "Interlude\nper-core loops\nio_uring offloads",
        "Interlude: the killer microsecond\nAda Lovelace",
        "en");

    private readonly RecordingChatServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Sends_the_model_and_the_slide_terms_and_returns_the_answer_trimmed()
    {
        _server.Answer = "\n  So the Interlude runtime runs one loop per core.  \n";
        using var corrector = new OpenAiCorrector(Options());

        string corrected = corrector.Correct(s_request, CancellationToken.None);

        Assert.Equal("So the Interlude runtime runs one loop per core.", corrected);
        (string path, _, string body) = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", path);
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.Equal("tiny-corrector", json.RootElement.GetProperty("model").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("temperature").GetDouble());
        Assert.False(json.RootElement.TryGetProperty("stop", out _));
        Assert.Equal(42, json.RootElement.GetProperty("seed").GetInt64());
        JsonElement[] messages = [.. json.RootElement.GetProperty("messages").EnumerateArray()];
        Assert.Equal(["system", "user"], messages.Select(m => m.GetProperty("role").GetString()));
        string user = messages[1].GetProperty("content").GetString()!;
        foreach (string part in (string[])["per-core loops", "io_uring offloads", "Ada Lovelace", s_request.Transcript])
        {
            Assert.Contains(part, user, StringComparison.Ordinal);
        }

        Assert.Equal(corrector.LastPrompt!.User, user);
    }

    [Fact]
    public void Strips_a_preamble_and_quotes_from_the_answer()
    {
        _server.Answer = "Here is the corrected transcript:\n\"So the Interlude runtime runs one loop per core.\"";
        using var corrector = new OpenAiCorrector(Options());

        Assert.Equal("So the Interlude runtime runs one loop per core.", corrector.Correct(s_request, CancellationToken.None));
    }

    [Fact]
    public void A_server_error_fails_with_the_status_and_the_endpoint()
    {
        _server.Status = 500;
        using var corrector = new OpenAiCorrector(Options());

        var ex = Assert.Throws<TalkEngineException>(() => corrector.Correct(s_request, CancellationToken.None));

        Assert.Contains("HTTP 500", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_server.BaseAddress.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests); // no retries
    }

    [Fact]
    public void An_empty_answer_is_rejected()
    {
        _server.Answer = "   ";
        using var corrector = new OpenAiCorrector(Options());

        var ex = Assert.Throws<TalkEngineException>(() => corrector.Correct(s_request, CancellationToken.None));

        Assert.Contains("raw transcript is kept", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_cut_at_the_token_limit_is_rejected()
    {
        _server.Answer = "So the Interlude runtime runs";
        _server.FinishReason = "length";
        using var corrector = new OpenAiCorrector(Options() with { MaxOutputTokens = 5 });

        var ex = Assert.Throws<TalkEngineException>(() => corrector.Correct(s_request, CancellationToken.None));

        Assert.Contains("limit of 5 tokens", ex.Message, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.True(
            json.RootElement.TryGetProperty("max_completion_tokens", out JsonElement max) || json.RootElement.TryGetProperty("max_tokens", out max));
        Assert.Equal(5, max.GetInt32());
    }

    [Fact]
    public void A_server_slower_than_the_timeout_fails_saying_so()
    {
        _server.Delay = TimeSpan.FromSeconds(30);
        using var corrector = new OpenAiCorrector(Options() with { Timeout = TimeSpan.FromMilliseconds(300) });

        var ex = Assert.Throws<TalkEngineException>(() => corrector.Correct(s_request, CancellationToken.None));

        Assert.Contains("did not answer within", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_server.BaseAddress.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sends_the_api_key_from_the_named_environment_variable()
    {
        string variable = "INTERLUDE_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sk-test-123");
        try
        {
            using var corrector = new OpenAiCorrector(Options() with { ApiKeyVariable = variable });

            _ = corrector.Correct(s_request, CancellationToken.None);

            Assert.Equal("Bearer sk-test-123", Assert.Single(_server.Requests).Authorization);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Sends_no_temperature_or_seed_when_told_to()
    {
        using var corrector = new OpenAiCorrector(Options() with { Temperature = null, Seed = null });

        _ = corrector.Correct(s_request, CancellationToken.None);

        using JsonDocument json = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        Assert.False(json.RootElement.TryGetProperty("temperature", out _));
        Assert.False(json.RootElement.TryGetProperty("seed", out _));
    }

    [Fact]
    public void A_cancelled_call_is_cancelled_not_failed()
    {
        using var corrector = new OpenAiCorrector(Options());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => corrector.Correct(s_request, cancelled.Token));
    }

    private OpenAiCorrectorOptions Options() => new(_server.BaseAddress, "tiny-corrector")
    {
        ApiKeyVariable = "INTERLUDE_TEST_NO_SUCH_KEY",
        Timeout = TimeSpan.FromSeconds(20),
    };
}
