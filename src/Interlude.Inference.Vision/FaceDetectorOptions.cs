namespace Interlude.Inference.Vision;

/// <summary>
/// Configuration of a <see cref="FaceDetector"/>: which candidates count as faces, how overlapping ones merge, and
/// the largest image it decodes.
/// </summary>
public sealed class FaceDetectorOptions
{
    /// <summary>The lowest score (after the sigmoid, between 0 and 1) a candidate needs to be considered a face.</summary>
    /// <remarks>Defaults to 0.75, MediaPipe's own.</remarks>
    public float ScoreThreshold { get; set; } = 0.75f;

    /// <summary>
    /// The intersection over union from which a lower-scored candidate counts as the same face as a higher-scored
    /// one and is merged into it.
    /// </summary>
    /// <remarks>Defaults to 0.3, MediaPipe's own.</remarks>
    public float IouThreshold { get; set; } = 0.3f;

    /// <summary>How the candidates of one face merge.</summary>
    /// <remarks>Defaults to <see cref="SuppressionMode.Weighted"/>.</remarks>
    public SuppressionMode Suppression { get; set; } = SuppressionMode.Weighted;

    /// <summary>The most faces reported for one image; the highest-scored are kept.</summary>
    /// <remarks>Defaults to 100.</remarks>
    public int MaxDetections { get; set; } = 100;

    /// <summary>The widest image decoded, in pixels; a wider one throws <see cref="ImageTooLargeException"/>.</summary>
    /// <remarks>Defaults to 8,192.</remarks>
    public int MaxImageWidth { get; set; } = 8192;

    /// <summary>The tallest image decoded, in pixels; a taller one throws <see cref="ImageTooLargeException"/>.</summary>
    /// <remarks>Defaults to 8,192.</remarks>
    public int MaxImageHeight { get; set; } = 8192;

    /// <summary>
    /// The most pixels (width times height) an image may have; a larger one throws
    /// <see cref="ImageTooLargeException"/>. It bounds the memory one decode takes (four bytes a pixel at most;
    /// large JPEGs are decoded at a reduced scale).
    /// </summary>
    /// <remarks>Defaults to 40,000,000 (a 40-megapixel photo).</remarks>
    public long MaxImagePixels { get; set; } = 40_000_000;

    internal FaceDetectorOptions Clone() => (FaceDetectorOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (!(ScoreThreshold >= 0f && ScoreThreshold <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(ScoreThreshold), ScoreThreshold, "ScoreThreshold must be between 0 and 1.");
        }

        if (!(IouThreshold > 0f && IouThreshold <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(IouThreshold), IouThreshold, "IouThreshold must be above 0 and at most 1.");
        }

        if (!Enum.IsDefined(Suppression))
        {
            throw new ArgumentOutOfRangeException(nameof(Suppression), Suppression, "Suppression must be Weighted or Hard.");
        }

        if (MaxDetections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDetections), MaxDetections, "MaxDetections must be at least 1.");
        }

        if (MaxImageWidth < 1 || MaxImageHeight < 1)
        {
            throw new ArgumentOutOfRangeException(MaxImageWidth < 1 ? nameof(MaxImageWidth) : nameof(MaxImageHeight), "The image size limits must be at least 1.");
        }

        if (MaxImagePixels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxImagePixels), MaxImagePixels, "MaxImagePixels must be at least 1.");
        }
    }
}
