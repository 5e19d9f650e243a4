namespace Interlude.Inference.Vision;

/// <summary>
/// The image is readable but its dimensions exceed the configured limits, checked from its header before any
/// pixel is decoded, so that a small file that claims a huge image cannot make the decoder allocate for it. A
/// server answers it with 413 Content Too Large or 400 Bad Request.
/// </summary>
public sealed class ImageTooLargeException : InvalidImageException
{
    /// <summary>Creates the exception for an image of the given size.</summary>
    public ImageTooLargeException(int width, int height, string message)
        : base(message)
    {
        Width = width;
        Height = height;
    }

    /// <summary>The width the image's header declares, in pixels.</summary>
    public int Width { get; }

    /// <summary>The height the image's header declares, in pixels.</summary>
    public int Height { get; }
}
