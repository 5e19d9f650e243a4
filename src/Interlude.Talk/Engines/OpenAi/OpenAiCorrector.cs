using System.ClientModel;
using System.ClientModel.Primitives;
using Interlude.Talk.Engines.Prompting;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Interlude.Talk.Engines.OpenAi;

/// <summary>
/// Corrects a transcript through any OpenAI-compatible chat-completions endpoint (OpenAI itself, or a local
/// llama-server, Ollama or vLLM) with Microsoft.Extensions.AI's <see cref="IChatClient"/> over the OpenAI client. It
/// sends the same prompt as the llama corrector (<see cref="CorrectionPrompt"/>) as a system and a user message, and
/// cleans and checks the answer the same way (<see cref="CorrectionOutput"/>). It sends no stop sequences (the server ends the turn itself, OpenAI
/// accepts at most four, and reasoning models none); the cleanup cuts at the stop strings instead. No retries: a failed call throws
/// <see cref="TalkEngineException"/> with the status and endpoint, and the pipeline keeps the raw transcript. Called
/// on the engine's own thread, one call at a time.
/// </summary>
internal sealed class OpenAiCorrector : ITranscriptCorrector
{
    private readonly OpenAiCorrectorOptions _options;
    private readonly IChatClient _client;

    public OpenAiCorrector(OpenAiCorrectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model);
        if (options.MaxOutputTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxOutputTokens, "MaxOutputTokens must be at least 1.");
        }

        _options = options;
        string? key = options.ApiKey ?? Environment.GetEnvironmentVariable(options.ApiKeyVariable);

        // The OpenAI client insists on a credential; a local server ignores the placeholder.
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(key) ? "none" : key);
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            NetworkTimeout = options.Timeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        _client = new OpenAI.Chat.ChatClient(options.Model, credential, clientOptions).AsIChatClient();
    }

    public string Name => "openai";

    /// <summary>The last call's prompt; null before the first call.</summary>
    /// <remarks>Written and read on the engine's thread (tests read it after the call returns).</remarks>
    public CorrectionPrompt? LastPrompt { get; private set; }

    public string Correct(CorrectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        CorrectionPrompt prompt = CorrectionPrompt.Build(request, _options.Limits);
        LastPrompt = prompt;
        ChatMessage[] messages = [new(ChatRole.System, prompt.System), new(ChatRole.User, prompt.User)];
        var chatOptions = new ChatOptions
        {
            Temperature = _options.Temperature,
            MaxOutputTokens = _options.MaxOutputTokens,
            Seed = _options.Seed,
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        ChatResponse response;
        try
        {
            // The engine has its own thread and no synchronization context, so waiting here blocks only that thread.
            response = _client.GetResponseAsync(messages, chatOptions, timeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new TalkEngineException($"The chat endpoint {_options.Endpoint} did not answer within {_options.Timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (ClientResultException ex)
        {
            throw new TalkEngineException(
                $"The chat endpoint {_options.Endpoint} answered HTTP {ex.Status} for model {_options.Model}: {FirstLine(ex.Message)}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            throw new TalkEngineException($"The chat endpoint {_options.Endpoint} could not be used: {ex.Message}", ex);
        }

        if (response.FinishReason == ChatFinishReason.Length)
        {
            throw new TalkEngineException(
                $"The corrector's answer reached the limit of {_options.MaxOutputTokens} tokens without ending; the raw transcript is kept.");
        }

        return CorrectionOutput.Clean(response.Text, request.Transcript);
    }

    public void Dispose() => _client.Dispose();

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
