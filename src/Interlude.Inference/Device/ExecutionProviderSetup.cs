using Microsoft.ML.OnnxRuntime;

namespace Interlude.Inference;

/// <summary>
/// Builds the session options every model of a device is loaded with: ONNX Runtime's own threading held to the
/// device thread that runs it, and the execution provider asked for, or the CPU with the reason why not.
/// </summary>
internal static class ExecutionProviderSetup
{
    public static SessionOptions Create(InferenceDeviceOptions options, out InferenceExecutionProvider provider, out string? fallbackReason)
    {
        var session = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,

            // ONNX Runtime's warnings while it optimizes a graph (initializers a model does not use) go to standard
            // error and say nothing about the model's results; errors still do.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        provider = InferenceExecutionProvider.Cpu;
        fallbackReason = null;
        try
        {
            // A pool thread that spins between runs would take a core the loops or other devices own.
            session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            if (options.ExecutionProvider == InferenceExecutionProvider.Cuda)
            {
                try
                {
                    session.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                    provider = InferenceExecutionProvider.Cuda;
                }
                catch (Exception error) when (error is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
                {
                    string why = $"The CUDA execution provider could not be loaded for GPU {options.CudaDeviceId} ({error.Message.Trim()}). "
                        + "It needs the ONNX Runtime GPU build (the Microsoft.ML.OnnxRuntime.Gpu package instead of Microsoft.ML.OnnxRuntime) "
                        + "and the CUDA and cuDNN libraries it was built for.";
                    if (options.RequireExecutionProvider)
                    {
                        throw new NotSupportedException(why, error);
                    }

                    fallbackReason = why + " The device runs its models on the CPU.";
                }
            }

            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
