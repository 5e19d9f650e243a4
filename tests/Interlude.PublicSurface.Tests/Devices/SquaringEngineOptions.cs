namespace Interlude.PublicSurface.Tests.Devices;

/// <summary>Options of the <see cref="SquaringEngine"/> test device.</summary>
internal sealed class SquaringEngineOptions : AcceleratorOptions
{
    /// <summary>Requests one batch holds before the worker answers them all.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>How long the first request of a batch waits for the batch to fill.</summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMicroseconds(50);

    public override void Validate()
    {
        base.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
    }
}
