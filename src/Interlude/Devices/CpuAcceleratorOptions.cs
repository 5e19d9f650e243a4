namespace Interlude;

/// <summary>Configuration of a <see cref="CpuAccelerator"/>: worker threads that each run one work function at a time.</summary>
public sealed class CpuAcceleratorOptions : AcceleratorOptions
{
}
