using InferenceServer.Http;
using InferenceServer.Protocol;
using InferenceServer.Vision;
using Interlude;
using Interlude.Inference.Vision;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InferenceServer.Endpoints;

/// <summary>
/// <c>POST /detect</c>: an encoded image as the body (PNG, JPEG or WebP) answers
/// <c>{"width", "height", "faces": [{"box": {"x", "y", "width", "height"}, "score", "keypoints": [{"name", "x", "y"}]}]}</c>
/// in the image's pixels. An undecodable image is a 400, one over the size limits a 413, with the reason.
/// </summary>
public static class DetectEndpoints
{
    private static readonly string[] s_keypoints = Enum.GetNames<FaceKeypoint>();

    internal static IEndpointConventionBuilder MapDetect(this IEndpointRouteBuilder routes, FaceService faces, InferenceServerOptions options)
        => routes.MapPost("/detect", (HttpContext context) => DetectAsync(context, faces, options));

    private static async Task DetectAsync(HttpContext context, FaceService faces, InferenceServerOptions options)
    {
        ImageFrame frame;
        IReadOnlyList<FaceDetection> detections;
        try
        {
            byte[] body = await BodyReader.ReadAsync(context.Request, options.MaxRequestBodyBytes).ConfigureAwait(false);
            (frame, detections) = await faces.DetectAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InferenceRequestException e)
        {
            await JsonResponses.ErrorAsync(context, e.StatusCode, e.Message).ConfigureAwait(false);
            return;
        }
        catch (AcceleratorOverloadedException e)
        {
            context.Response.Headers.RetryAfter = "1";
            await JsonResponses.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"The model has more work queued than it accepts; retry shortly. ({e.Message})").ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (frame, detections), static (w, r) =>
        {
            w.WriteStartObject();
            w.WriteNumber("width"u8, r.frame.SourceWidth);
            w.WriteNumber("height"u8, r.frame.SourceHeight);
            w.WriteStartArray("faces"u8);
            foreach (FaceDetection face in r.detections)
            {
                w.WriteStartObject();
                w.WriteStartObject("box"u8);
                w.WriteNumber("x"u8, face.Box.X);
                w.WriteNumber("y"u8, face.Box.Y);
                w.WriteNumber("width"u8, face.Box.Width);
                w.WriteNumber("height"u8, face.Box.Height);
                w.WriteEndObject();
                w.WriteNumber("score"u8, face.Score);
                w.WriteStartArray("keypoints"u8);
                for (int k = 0; k < face.Keypoints.Count; k++)
                {
                    w.WriteStartObject();
                    w.WriteString("name"u8, s_keypoints[k]);
                    w.WriteNumber("x"u8, face.Keypoints[k].X);
                    w.WriteNumber("y"u8, face.Keypoints[k].Y);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
