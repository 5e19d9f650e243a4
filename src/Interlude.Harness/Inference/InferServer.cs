using System.Globalization;
using System.Net;
using InferenceServer;
using InferenceServer.Vision;
using Interlude.Harness.Measurement;
using Interlude.Inference;
using Interlude.Inference.Vision;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interlude.Harness.Inference;

/// <summary>
/// One mode's server on 127.0.0.1 and a free port: the InferenceServer sample (Interlude transport or Kestrel's
/// sockets, the device on one pinned thread) or, for aspnet-ort, a minimal-API app running ONNX Runtime inline; for
/// blocking and busywait, a minimal-API app of the bench's own waiting on the device. Each serves one model's endpoint
/// (<see cref="InferModels"/>).
/// </summary>
public sealed class InferServer : IAsyncDisposable
{
    private static readonly TimeSpan s_locateTimeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly IAsyncDisposable? _host;
    private readonly IDisposable? _embedder;
    private readonly bool _hasStatistics;

    private InferServer(
        string mode, string model, WebApplication app, IAsyncDisposable? host, IDisposable? embedder, InferenceDevice? device, IReadOnlyList<int> deviceThreads, bool hasStatistics = true)
    {
        _hasStatistics = hasStatistics;
        Mode = mode;
        Model = model;
        _app = app;
        _host = host;
        _embedder = embedder;
        Device = device;
        DeviceThreads = deviceThreads;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public string Mode { get; }

    /// <summary>The model served (<see cref="InferModels"/>).</summary>
    public string Model { get; }

    /// <summary>The model's endpoint.</summary>
    public Uri EndpointUrl => new(BaseAddress, InferModels.Path(Model));

    /// <summary>http://127.0.0.1:port/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The device of the device modes; null for aspnet-ort.</summary>
    public InferenceDevice? Device { get; }

    /// <summary>The Linux ids of the device's threads; empty without a device or /proc.</summary>
    public IReadOnlyList<int> DeviceThreads { get; }

    /// <summary>The model's statistics, where the server has them: <c>/v2/models/{name}/stats</c>.</summary>
    public Uri? StatisticsUrl => Device is null || !_hasStatistics ? null : new Uri(BaseAddress, $"v2/models/{InferModels.StatisticsName(Model)}/stats");

    /// <summary>The device threads' busy time so far; zero without a device. Any thread.</summary>
    public TimeSpan DeviceBusy => Device is null ? TimeSpan.Zero : Device.GetThreadStatistics().Aggregate(TimeSpan.Zero, (sum, t) => sum + t.BusyTime);

    /// <summary>Starts <paramref name="mode"/>'s server of <paramref name="model"/>.</summary>
    public static async Task<InferServer> StartAsync(string mode, string model, InferBenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (InferModels.Unavailable(model) is { } missing)
        {
            throw new InvalidOperationException(missing);
        }

        bool faces = model == InferModels.Detect;
        if (!InferModes.UsesDevice(mode))
        {
            return faces
                ? await StartAspNetOrtFacesAsync(mode, cancellationToken).ConfigureAwait(false)
                : await StartAspNetOrtAsync(mode, cancellationToken).ConfigureAwait(false);
        }

        if (mode is InferModes.Blocking or InferModes.BusyWait)
        {
            return faces
                ? await StartWaitingFacesAsync(mode, settings, cancellationToken).ConfigureAwait(false)
                : await StartWaitingAsync(mode, settings, cancellationToken).ConfigureAwait(false);
        }

        bool interlude = mode is InferModes.Interlude or InferModes.InterludeBatching;
        bool batching = mode == InferModes.InterludeBatching;
        var serverSettings = new InferenceServerSettings
        {
            UseInterlude = interlude,
            Loops = interlude ? 1 : null,
            LoopCores = interlude ? [settings.LoopCore] : null,
            DeviceThreads = 1,
            DeviceCores = [settings.DeviceCore],
            MaxBatchSize = batching ? settings.MaxBatchSize : 1,
            MaxQueueDelay = batching ? settings.MaxQueueDelay : TimeSpan.Zero,
            Port = 0,
            ServeFaces = faces,
        };
        InferenceServerHost host = InferenceServerHost.Build(serverSettings, configure: builder => builder.Logging.ClearProviders());
        try
        {
            await host.App.StartAsync(cancellationToken).ConfigureAwait(false);
            int tid = await LocateAsync(host.Device, cancellationToken).ConfigureAwait(false);
            return new InferServer(mode, model, host.App, host, null, host.Device, tid > 0 ? [tid] : []);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<InferServer> StartAspNetOrtAsync(string mode, CancellationToken cancellationToken)
    {
        var embedder = new OrtEmbedder();
        WebApplication? app = null;
        try
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            builder.Services.AddSingleton(embedder);
            app = builder.Build();
            app.MapPost("/embed", (EmbedRequest request, OrtEmbedder model) => Results.Ok(new[] { model.Embed(request.Inputs) }));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new InferServer(mode, InferModels.Embed, app, app, embedder, null, []);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            embedder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// blocking and busywait: Kestrel's sockets and the device (one thread on the device core, batching off), the
    /// handler waiting for each embedding on its own thread, asleep or spinning. They run on the ThreadPool, never on a
    /// loop: the embedder's pooling resumes on the loop that submitted, which a loop blocked on it would never reach.
    /// </summary>
    private static async Task<InferServer> StartWaitingAsync(string mode, InferBenchSettings settings, CancellationToken cancellationToken)
    {
        var device = new InferenceDevice(new InferenceDeviceOptions { Threads = 1, Cores = [settings.DeviceCore] });
        WebApplication? app = null;
        try
        {
            TextEmbedder embedder = TextEmbedder.LoadMiniLM(device, new TextEmbedderOptions { MaxBatchSize = 1 });
            bool spin = mode == InferModes.BusyWait;
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            app = builder.Build();
            app.MapPost("/embed", (EmbedRequest request) =>
            {
                Task<float[]> pending = embedder.EmbedAsync(request.Inputs).AsTask();
                if (spin)
                {
                    // Spins, yielding its time slice now and then (SpinWait): a pure spin on every ThreadPool thread
                    // leaves none to run the embedding's completion, and the server stalls for seconds at a time.
                    var wait = default(SpinWait);
                    while (!pending.IsCompleted)
                    {
                        wait.SpinOnce(sleep1Threshold: -1);
                    }
                }

                // Blocks the request's thread until the device is done (at once, after the spin).
                return Results.Ok(new[] { pending.GetAwaiter().GetResult() });
            });
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            int tid = await LocateAsync(device, cancellationToken).ConfigureAwait(false);
            return new InferServer(mode, InferModels.Embed, app, app, device, device, tid > 0 ? [tid] : [], hasStatistics: false);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            device.Dispose();
            throw;
        }
    }

    /// <summary>aspnet-ort for the faces: the request's image read into an array and BlazeFace run inline (<see cref="OrtFaceDetector"/>).</summary>
    private static async Task<InferServer> StartAspNetOrtFacesAsync(string mode, CancellationToken cancellationToken)
    {
        var detector = new OrtFaceDetector();
        WebApplication? app = null;
        try
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            builder.Services.AddSingleton(detector);
            app = builder.Build();
            app.MapPost("/detect", async (HttpRequest request, OrtFaceDetector model, CancellationToken aborted) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body, aborted).ConfigureAwait(false);
                try
                {
                    return Results.Ok(model.Detect(body.ToArray()));
                }
                catch (InvalidImageException e)
                {
                    return Results.BadRequest(e.Message);
                }
            });
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new InferServer(mode, InferModels.Detect, app, app, detector, null, []);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            detector.Dispose();
            throw;
        }
    }

    /// <summary>blocking and busywait for the faces: as <see cref="StartWaitingAsync"/>, the handler waiting on the server's face pipeline.</summary>
    private static async Task<InferServer> StartWaitingFacesAsync(string mode, InferBenchSettings settings, CancellationToken cancellationToken)
    {
        var device = new InferenceDevice(new InferenceDeviceOptions { Threads = 1, Cores = [settings.DeviceCore] });
        WebApplication? app = null;
        try
        {
            InferenceModel blazeFace = device.LoadModel(
                InferenceServerHost.FaceOnnxName, File.ReadAllBytes(ModelFiles.Locate(BlazeFaceModel.Front)), new InferenceModelOptions { MaxBatchSize = BlazeFaceModel.Front.MaxBatchSize });
            var faces = new FaceService(new FaceDetector(BlazeFaceModel.Front), blazeFace);
            bool spin = mode == InferModes.BusyWait;
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            app = builder.Build();
            app.MapPost("/detect", async (HttpRequest request, CancellationToken aborted) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body, aborted).ConfigureAwait(false);
                Task<(ImageFrame Frame, IReadOnlyList<FaceDetection> Faces)> pending = faces.DetectAsync(body.ToArray(), aborted).AsTask();
                if (spin)
                {
                    // As for the embeddings: spinning, yielding now and then, so the completion still finds a thread.
                    var wait = default(SpinWait);
                    while (!pending.IsCompleted)
                    {
                        wait.SpinOnce(sleep1Threshold: -1);
                    }
                }

                // Blocks the request's thread until the device is done (at once, after the spin).
                (ImageFrame frame, IReadOnlyList<FaceDetection> found) = pending.GetAwaiter().GetResult();
                return Results.Ok(DetectResponse.From(frame, found));
            });
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            int tid = await LocateAsync(device, cancellationToken).ConfigureAwait(false);
            return new InferServer(mode, InferModels.Detect, app, app, device, device, tid > 0 ? [tid] : [], hasStatistics: false);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            device.Dispose();
            throw;
        }
    }

    /// <summary>The Linux id of the device's thread, asked of the thread itself; 0 where /proc is unavailable.</summary>
    private static async Task<int> LocateAsync(InferenceDevice device, CancellationToken cancellationToken)
    {
        if (!ResourceUsage.IsAvailable || !Directory.Exists("/proc/thread-self"))
        {
            return 0;
        }

        // Forced to yield, so nothing after this runs on the device's thread.
        string? path = await device.SubmitAsync(static _ => new DirectoryInfo("/proc/thread-self").ResolveLinkTarget(returnFinalTarget: true)?.FullName, (byte)0, cancellationToken)
            .AsTask().WaitAsync(s_locateTimeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        return int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out int tid) ? tid : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await (_host ?? _app).DisposeAsync().ConfigureAwait(false);
        _embedder?.Dispose();
    }
}
