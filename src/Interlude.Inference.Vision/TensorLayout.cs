namespace Interlude.Inference.Vision;

/// <summary>How an image tensor orders its dimensions.</summary>
public enum TensorLayout
{
    /// <summary>Batch, height, width, channels: each pixel's channels are adjacent (TensorFlow's order).</summary>
    Nhwc,

    /// <summary>Batch, channels, height, width: one plane per channel (PyTorch's order).</summary>
    Nchw,
}
