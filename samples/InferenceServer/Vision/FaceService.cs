using InferenceServer.Protocol;
using Interlude.Inference;
using Interlude.Inference.Vision;

namespace InferenceServer.Vision;

/// <summary>
/// Face detection for both endpoints (<c>/detect</c> and the protocol's <c>blazeface</c> model): the image is
/// decoded and letterboxed on the caller's thread (the request's loop), BlazeFace runs on the inference device, and
/// the boxes are decoded and suppressed back on the loop.
/// </summary>
internal sealed class FaceService
{
    private readonly FaceDetector _detector;
    private readonly string[] _scoreNames;
    private readonly string[] _regressorNames;

    public FaceService(FaceDetector detector, InferenceModel model)
    {
        _detector = detector;
        Model = model;
        _scoreNames = [.. detector.Model.ScoreOutputs.Select(o => o.Name)];
        _regressorNames = [.. detector.Model.RegressorOutputs.Select(o => o.Name)];
    }

    /// <summary>BlazeFace on the device.</summary>
    public InferenceModel Model { get; }

    public async ValueTask<(ImageFrame Frame, IReadOnlyList<FaceDetection> Faces)> DetectAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        BlazeFaceModel blazeFace = _detector.Model;
        float[] input = new float[blazeFace.InputLength];
        ImageFrame frame;
        try
        {
            frame = _detector.PrepareInput(image.Span, input);
        }
        catch (ImageTooLargeException e)
        {
            throw new InferenceRequestException(413, e.Message, e);
        }
        catch (InvalidImageException e)
        {
            throw new InferenceRequestException(400, e.Message, e);
        }

        IReadOnlyList<InferenceTensor> outputs = await Model.RunAsync(
            [new InferenceTensor(blazeFace.Input.Name, input, blazeFace.Input.ToShapeArray())],
            cancellationToken).ConfigureAwait(false);
        float[] scores = Concatenate(outputs, _scoreNames, blazeFace.ScoreLength);
        float[] regressors = Concatenate(outputs, _regressorNames, blazeFace.RegressorLength);
        return (frame, _detector.Decode(regressors, scores, frame));
    }

    private static float[] Concatenate(IReadOnlyList<InferenceTensor> outputs, string[] names, int length)
    {
        float[] all = new float[length];
        int at = 0;
        foreach (string name in names)
        {
            ReadOnlySpan<float> part = outputs.First(o => o.Name == name).GetData<float>().Span;
            part.CopyTo(all.AsSpan(at));
            at += part.Length;
        }

        return all;
    }
}
