namespace Interlude.PublicSurface.Tests.Devices;

/// <summary>The smallest device of samples/CustomDevice/README.md, compiled here so the example stays true.</summary>
public sealed class Doubler : Accelerator
{
    public Doubler(AcceleratorOptions options)
        : base("doubler", options)
        => StartWorkers([new DoublerWorker(this, 0, options.Cores?[0], options.IdleSpin)]);

    public ValueTask<long> DoubleAsync(long value, CancellationToken cancellationToken = default)
        => SubmitRequestAsync<long, long>(value, argument: 0, cancellationToken);
}
