namespace Interlude.Cuda.Work;

/// <summary>One dense layer: weights inputs × outputs, row-major, and a bias per output.</summary>
internal sealed record MlpLayer(int Inputs, int Outputs, float[] Weights, float[] Bias);
