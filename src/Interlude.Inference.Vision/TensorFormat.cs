namespace Interlude.Inference.Vision;

/// <summary>The shape and scaling of one image's input tensor: its size, layout, and the range channels map to.</summary>
internal readonly record struct TensorFormat(int Width, int Height, TensorLayout Layout, float Minimum, float Maximum)
{
    public static TensorFormat Of(BlazeFaceModel model) =>
        new(model.InputSize, model.InputSize, model.InputLayout, model.InputMinimum, model.InputMaximum);
}
