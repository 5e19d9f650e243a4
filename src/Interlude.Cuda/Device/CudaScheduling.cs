namespace Interlude.Cuda;

/// <summary>How a thread that waits inside the CUDA driver (cuStreamSynchronize) waits: the context's CU_CTX_SCHED_* flag.</summary>
public enum CudaScheduling
{
    /// <summary>CU_CTX_SCHED_AUTO: the driver spins if there are fewer contexts than cores, else yields.</summary>
    Auto = 0,

    /// <summary>CU_CTX_SCHED_SPIN: spin until the GPU is done.</summary>
    Spin = 1,

    /// <summary>CU_CTX_SCHED_YIELD: spin, yielding the core between looks.</summary>
    Yield = 2,

    /// <summary>CU_CTX_SCHED_BLOCKING_SYNC: sleep until the GPU's interrupt.</summary>
    BlockingSync = 4,
}
