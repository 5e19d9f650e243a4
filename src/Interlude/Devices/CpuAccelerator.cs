using Interlude.Devices;

namespace Interlude;

/// <summary>
/// Other cores as the accelerator: work functions (for example AES-GCM sealing through
/// System.Security.Cryptography) run on dedicated worker threads, and the submitting coroutine is resumed on
/// its loop when the function returns.
/// </summary>
public sealed class CpuAccelerator : Accelerator
{
    /// <summary>Creates the engine and starts its workers.</summary>
    public CpuAccelerator(CpuAcceleratorOptions? options = null)
        : base("cpu", options ??= new CpuAcceleratorOptions())
    {
        var workers = new DeviceWorker[options.Threads];
        for (int i = 0; i < workers.Length; i++)
        {
            int? core = options.Cores is { } cores ? cores[i % cores.Count] : null;
            workers[i] = new CpuWorker(this, i, core, options.IdleSpin);
        }

        StartWorkers(workers);
    }
}
