using System.Buffers;
using System.Drawing;

namespace Interlude.Inference.Vision;

/// <summary>
/// Face detection with a BlazeFace model, around the model rather than including it: <see cref="PrepareInput"/>
/// turns an encoded image into the model's input, whatever runs the model (an inference device, or ONNX Runtime
/// directly) produces the outputs, and <see cref="Decode"/> turns them into faces in the image's own pixels.
/// </summary>
/// <remarks>
/// <para>
/// Both steps are synchronous CPU work. <see cref="Decode"/> takes tens of microseconds and belongs on the event
/// loop. <see cref="PrepareInput"/> takes a couple of milliseconds for a small image and grows with the image's
/// pixels: about 15 ms for a 12-megapixel JPEG (decoded at a reduced scale) and ten times that for a PNG of the
/// same size, so a server either bounds the size it decodes on a loop (<see cref="FaceDetectorOptions.MaxImagePixels"/>)
/// or runs it off the loop. The model itself belongs on a device.
/// </para>
/// <para>
/// A detector holds no mutable state: one instance serves any number of threads and requests at once.
/// </para>
/// </remarks>
public sealed class FaceDetector
{
    private readonly float[] _anchors;
    private readonly TensorFormat _format;

    // The detector's own copy, never handed out, so that no caller can change it.
    private readonly FaceDetectorOptions _options;

    /// <summary>Creates a detector for the model, with the given options or the defaults.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public FaceDetector(BlazeFaceModel model, FaceDetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new FaceDetectorOptions();
        options.Validate();

        _options = options.Clone();
        Model = model;
        _anchors = model.Anchors;
        _format = TensorFormat.Of(model);
    }

    /// <summary>The model whose input this detector prepares and whose outputs it decodes.</summary>
    public BlazeFaceModel Model { get; }

    /// <summary>A new copy of the options the detector was created with on each call; changing it changes nothing.</summary>
    public FaceDetectorOptions Options => _options.Clone();

    /// <summary>
    /// Decodes an encoded image (JPEG, PNG, WebP, GIF, BMP...), turns it upright by its EXIF orientation,
    /// letterboxes it into the model's input size, and writes the input tensor for one image into
    /// <paramref name="destination"/> (<see cref="BlazeFaceModel.InputLength"/> floats, in the model's layout and
    /// range).
    /// </summary>
    /// <returns>How the image was placed in the input, for <see cref="Decode"/>.</returns>
    /// <exception cref="InvalidImageException">The bytes are not a whole image the decoder reads.</exception>
    /// <exception cref="ImageTooLargeException">The image exceeds the size limits of <see cref="Options"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public ImageFrame PrepareInput(ReadOnlySpan<byte> encodedImage, Span<float> destination) =>
        ImagePreprocessor.Letterbox(encodedImage, destination, _format, _options);

    /// <summary>
    /// Turns one image's model outputs into the faces found, best first, in source image pixels: scores through a
    /// sigmoid and the threshold, boxes and keypoints decoded from their anchors, overlapping candidates merged
    /// (non-maximum suppression), and everything mapped back through the letterbox.
    /// </summary>
    /// <param name="regressors">
    /// The regressor outputs, <see cref="BlazeFaceModel.RegressorLength"/> floats: the tensors of
    /// <see cref="BlazeFaceModel.RegressorOutputs"/> one after the other.
    /// </param>
    /// <param name="scores">
    /// The score outputs, <see cref="BlazeFaceModel.ScoreLength"/> floats: the tensors of
    /// <see cref="BlazeFaceModel.ScoreOutputs"/> one after the other.
    /// </param>
    /// <param name="frame">The placement <see cref="PrepareInput"/> returned for the image.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or the frame is not for this model's input.</exception>
    public IReadOnlyList<FaceDetection> Decode(ReadOnlySpan<float> regressors, ReadOnlySpan<float> scores, ImageFrame frame)
    {
        if (regressors.Length != Model.RegressorLength)
        {
            throw new ArgumentException($"The regressors hold {regressors.Length} floats; {Model.Name} gives {Model.RegressorLength}.", nameof(regressors));
        }

        if (scores.Length != Model.ScoreLength)
        {
            throw new ArgumentException($"The scores hold {scores.Length} floats; {Model.Name} gives {Model.ScoreLength}.", nameof(scores));
        }

        if (frame.InputWidth != Model.InputSize || frame.InputHeight != Model.InputSize)
        {
            throw new ArgumentException($"The frame is for a {frame.InputWidth}x{frame.InputHeight} input; {Model.Name} takes {Model.InputSize}x{Model.InputSize}.", nameof(frame));
        }

        FaceCandidate[] buffer = ArrayPool<FaceCandidate>.Shared.Rent(Model.AnchorCount);
        try
        {
            int count = CollectCandidates(regressors, scores, buffer);
            List<FaceCandidate> kept = NonMaximumSuppression.Apply(
                buffer.AsSpan(0, count), _options.IouThreshold, _options.Suppression, _options.MaxDetections);

            var detections = new FaceDetection[kept.Count];
            for (int i = 0; i < kept.Count; i++)
            {
                detections[i] = ToSource(kept[i], frame);
            }

            return detections;
        }
        finally
        {
            ArrayPool<FaceCandidate>.Shared.Return(buffer);
        }
    }

    // Every anchor whose score passes the threshold, decoded to normalized input coordinates.
    private int CollectCandidates(ReadOnlySpan<float> regressors, ReadOnlySpan<float> scores, FaceCandidate[] candidates)
    {
        float threshold = _options.ScoreThreshold;
        float perPixel = 1f / Model.InputSize;
        int perAnchor = Model.RegressorsPerAnchor;
        int count = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            // Clipped like MediaPipe's, so that an extreme logit cannot overflow the exponential.
            float score = Sigmoid(Math.Clamp(scores[i], -100f, 100f));
            if (!(score >= threshold))
            {
                continue; // below the threshold, or not a number
            }

            ReadOnlySpan<float> values = regressors.Slice(i * perAnchor, perAnchor);
            float anchorX = _anchors[2 * i];
            float anchorY = _anchors[2 * i + 1];
            ref FaceCandidate candidate = ref candidates[count++];
            candidate = new FaceCandidate(
                anchorX + values[0] * perPixel,
                anchorY + values[1] * perPixel,
                values[2] * perPixel,
                values[3] * perPixel,
                score,
                i);
            for (int k = 0; k < 6; k++)
            {
                candidate.Geometry[4 + 2 * k] = anchorX + values[4 + 2 * k] * perPixel;
                candidate.Geometry[5 + 2 * k] = anchorY + values[5 + 2 * k] * perPixel;
            }
        }

        return count;
    }

    // A candidate in normalized input coordinates, as a detection in source pixels.
    private static FaceDetection ToSource(in FaceCandidate candidate, ImageFrame frame)
    {
        float width = frame.InputWidth;
        float height = frame.InputHeight;
        var box = new RectangleF(
            (candidate.CenterX - candidate.Width / 2) * width,
            (candidate.CenterY - candidate.Height / 2) * height,
            candidate.Width * width,
            candidate.Height * height);
        var keypoints = new PointF[6];
        for (int k = 0; k < keypoints.Length; k++)
        {
            keypoints[k] = frame.ToSource(new PointF(candidate.KeypointX(k) * width, candidate.KeypointY(k) * height));
        }

        return new FaceDetection(frame.ToSource(box), candidate.Score, keypoints);
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
