namespace Interlude.Inference;

/// <summary>Where an <see cref="InferenceDevice"/>'s models run: ONNX Runtime's execution provider.</summary>
public enum InferenceExecutionProvider
{
    /// <summary>ONNX Runtime's CPU kernels, on the device threads themselves.</summary>
    Cpu = 0,

    /// <summary>
    /// NVIDIA GPUs through ONNX Runtime's CUDA execution provider. It needs an ONNX Runtime build with CUDA (the
    /// <c>Microsoft.ML.OnnxRuntime.Gpu</c> package instead of the CPU one) and the CUDA and cuDNN libraries.
    /// </summary>
    Cuda = 1,
}
