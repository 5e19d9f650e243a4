using InferenceServer.Http;
using InferenceServer.Models;
using InferenceServer.Protocol;
using Interlude;
using Interlude.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InferenceServer.Endpoints;

/// <summary>
/// The Open Inference Protocol (KServe v2) over REST: health, server and model metadata, model readiness, and
/// inference with JSON tensors. Every refusal is a 4xx with <c>{"error": "..."}</c> naming what was wrong; a
/// model that fails answers 500 for that request only.
/// </summary>
public static class OpenInferenceEndpoints
{
    public static RouteGroupBuilder MapOpenInferenceProtocol(this IEndpointRouteBuilder routes, ModelRepository models, InferenceServerOptions? options = null, InferenceDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(models);
        options ??= new InferenceServerOptions();
        options.Validate();

        RouteGroupBuilder group = routes.MapGroup("/v2");
        group.MapGet("/health/live", static () => Results.Ok());
        group.MapGet("/health/ready", () => models.AllReady ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        group.MapGet("", context => JsonResponses.WriteAsync(context, StatusCodes.Status200OK, 0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("name"u8, "interlude-inference");
            w.WriteString("version"u8, "1");
            w.WriteStartArray("extensions"u8);
            w.WriteEndArray();
            w.WriteEndObject();
        }));
        group.MapGet("/models/{name}", (HttpContext context, string name) => models.TryGet(name, out IServedModel model)
            ? JsonResponses.WriteAsync(context, StatusCodes.Status200OK, model, InferResponseWriter.WriteMetadata)
            : UnknownModelAsync(context, models, name));
        group.MapGet("/models/{name}/ready", (HttpContext context, string name) => !models.TryGet(name, out IServedModel model)
            ? UnknownModelAsync(context, models, name)
            : model.IsReady
                ? Results.Ok().ExecuteAsync(context)
                : JsonResponses.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"Model '{name}' is not ready."));
        group.MapPost("/models/{name}/infer", (HttpContext context, string name) => InferAsync(context, models, name, options));
        group.MapGet("/models/{name}/stats", (HttpContext context, string name) => models.TryGet(name, out IServedModel model)
            ? JsonResponses.WriteAsync(context, StatusCodes.Status200OK, model.GetStatistics(), StatisticsWriter.WriteModel)
            : UnknownModelAsync(context, models, name));
        if (device is not null)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            group.MapGet("/device/stats", context => JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (device, started.Elapsed), static (w, s) =>
                StatisticsWriter.WriteDevice(w, s.device, s.Elapsed)));
        }

        return group;
    }

    private static async Task InferAsync(HttpContext context, ModelRepository models, string name, InferenceServerOptions options)
    {
        if (!models.TryGet(name, out IServedModel model))
        {
            await UnknownModelAsync(context, models, name).ConfigureAwait(false);
            return;
        }

        IReadOnlyList<InferTensor> outputs;
        InferRequest request;
        try
        {
            byte[] body = await BodyReader.ReadAsync(context.Request, options.MaxRequestBodyBytes).ConfigureAwait(false);
            request = InferRequestReader.Read(body, options.MaxRequestElements);
            InferRequestValidator.Validate(model, request);
            if (!model.IsReady)
            {
                throw new InferenceRequestException(StatusCodes.Status503ServiceUnavailable, $"Model '{name}' is not ready.");
            }

            outputs = await model.InferAsync(request.Inputs, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InferenceRequestException e)
        {
            await JsonResponses.ErrorAsync(context, e.StatusCode, e.Message).ConfigureAwait(false);
            return;
        }
        catch (AcceleratorOverloadedException e)
        {
            context.Response.Headers.RetryAfter = "1";
            await JsonResponses.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"Model '{name}' has more work queued than it accepts; retry shortly. ({e.Message})").ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await JsonResponses.ErrorAsync(context, StatusCodes.Status500InternalServerError, $"Model '{name}' failed: {e.Message}").ConfigureAwait(false);
            return;
        }

        IEnumerable<InferTensor> selected = request.Outputs is { } wanted ? outputs.Where(o => wanted.Contains(o.Name)) : outputs;
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (name, request.Id, selected), static (w, s) =>
            InferResponseWriter.WriteResponse(w, s.name, s.Id, s.selected)).ConfigureAwait(false);
    }

    private static Task UnknownModelAsync(HttpContext context, ModelRepository models, string name)
        => JsonResponses.ErrorAsync(context, StatusCodes.Status404NotFound,
            $"No model is named '{name}'; this server serves {string.Join(", ", models.Models.Select(m => $"'{m.Name}'"))}.");
}
