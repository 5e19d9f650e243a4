namespace Interlude.Cuda.Checks;

/// <summary>One correctness check on a real GPU: its name, whether it passed, and the figures it compared.</summary>
internal sealed record GpuCheckResult(string Name, bool Passed, string Detail);
