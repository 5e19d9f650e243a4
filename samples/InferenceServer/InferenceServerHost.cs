using System.Net;
using InferenceServer.Endpoints;
using InferenceServer.Models;
using InferenceServer.Text;
using InferenceServer.Vision;
using Interlude;
using Interlude.Inference;
using Interlude.Inference.Vision;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InferenceServer;

/// <summary>
/// The inference server: an ASP.NET Core app on the Interlude transport (or Kestrel's sockets, for comparison)
/// serving all-MiniLM-L6-v2 sentence embeddings and BlazeFace face detection from one <see cref="InferenceDevice"/>,
/// through the Open Inference Protocol (<c>/v2/...</c>), text-embeddings-inference's <c>/embed</c> and
/// <c>/detect</c>. The device is disposed when the app has stopped (after Kestrel has drained its requests).
/// </summary>
public sealed class InferenceServerHost : IAsyncDisposable
{
    private InferenceServerHost(WebApplication app, InferenceDevice device, ModelRepository models)
    {
        App = app;
        Device = device;
        Models = models;
    }

    public WebApplication App { get; }

    public InferenceDevice Device { get; }

    public ModelRepository Models { get; }

    /// <summary>Where it listens, once started.</summary>
    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>The model names: the embedder, the face pipeline, and the raw BlazeFace ONNX model.</summary>
    public const string EmbedderName = "all-minilm-l6-v2";

    public const string FacesName = "blazeface";

    public const string FaceOnnxName = "blazeface-onnx";

    public static InferenceServerHost Build(InferenceServerSettings settings, string[]? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Limits.Validate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, settings.Port);
            kestrel.Limits.MaxRequestBodySize = settings.Limits.MaxRequestBodyBytes;
        });
        if (settings.UseInterlude)
        {
            builder.WebHost.UseInterlude(options => options.Loops = new LoopGroupOptions
            {
                LoopCount = settings.Loops,
                Cores = settings.LoopCores,
                PinThreads = settings.LoopCores is not null,
            });
        }

        configure?.Invoke(builder);

        var device = new InferenceDevice(new InferenceDeviceOptions
        {
            Threads = settings.DeviceThreads,
            Cores = settings.DeviceCores,
            ExecutionProvider = settings.ExecutionProvider,
        });
        var served = new List<IServedModel>();
        WebApplication app;
        try
        {
            var embeddings = new EmbeddingService(
                TextEmbedder.LoadMiniLM(device, new TextEmbedderOptions
                {
                    Truncate = true,
                    MaxBatchSize = settings.MaxBatchSize,
                    MaxBatchTokens = settings.MaxBatchTokens,
                    MaxQueueDelay = settings.MaxQueueDelay,
                }),
                maxInputs: 256);
            served.Add(new TextEmbeddingModel(EmbedderName, embeddings));

            FaceService? faces = null;
            string? facesMissing = null;
            if (settings.ServeFaces && ModelFiles.TryLocate(BlazeFaceModel.Front, out string? path))
            {
                InferenceModel blazeFace = device.LoadModel(FaceOnnxName, File.ReadAllBytes(path), new InferenceModelOptions { MaxBatchSize = BlazeFaceModel.Front.MaxBatchSize });
                faces = new FaceService(new FaceDetector(BlazeFaceModel.Front), blazeFace);
                served.Add(new FaceDetectionModel(FacesName, faces));
                served.Add(new OnnxServedModel(blazeFace));
            }
            else if (settings.ServeFaces)
            {
                facesMissing = $"The face model is not installed: {ModelFiles.GetPath(BlazeFaceModel.Front)} is missing; run {ModelFiles.FetchScript}.";
            }

            var models = new ModelRepository(served);
            app = builder.Build();
            app.MapOpenInferenceProtocol(models, settings.Limits, device);
            app.MapEmbed(embeddings, settings.Limits);
            if (faces is not null)
            {
                app.MapDetect(faces, settings.Limits);
            }
            else
            {
                string reason = facesMissing ?? "The face model is turned off.";
                app.MapPost("/detect", (Microsoft.AspNetCore.Http.HttpContext context)
                    => Http.JsonResponses.ErrorAsync(context, Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable, reason));
                if (facesMissing is not null)
                {
                    app.Logger.LogWarning("{Reason}", facesMissing);
                }
            }

            if (device.ExecutionProviderFallbackReason is { } fallback)
            {
                app.Logger.LogWarning("Running the models on the CPU: {Reason}", fallback);
            }

            app.Lifetime.ApplicationStopped.Register(device.Dispose);
            return new InferenceServerHost(app, device, models);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync().ConfigureAwait(false);
        Device.Dispose();
    }
}
