using System.Collections.Concurrent;

namespace Interlude.PublicSurface.Tests.Devices;

/// <summary>
/// A device written only against the public seam: requests (ints) gathered into batches by its worker and
/// answered with their squares (longs), as an inference engine batches inputs. Negative requests fail with a
/// device error naming them; <see cref="int.MinValue"/> is "forgotten" (completed without a result), and
/// <see cref="Unlucky"/> makes the model throw.
/// </summary>
internal sealed class SquaringEngine : Accelerator
{
    /// <summary>The request the worker's model throws on.</summary>
    public const int Unlucky = 1_000_013;

    private readonly SquaringWorker _worker;

    public SquaringEngine(SquaringEngineOptions? options = null)
        : base("squaring", options ??= new SquaringEngineOptions())
    {
        _worker = new SquaringWorker(this, options.BatchSize, options.MaxBatchDelay, options.IdleSpin);
        StartWorkers([_worker]);
    }

    /// <summary>Arguments of the payload-less operations the worker saw, in order.</summary>
    public ConcurrentQueue<long> ArgumentsSeen => _worker.ArgumentsSeen;

    /// <summary>Requests the worker's model accepted.</summary>
    public long RequestsAccepted => _worker.RequestsAccepted;

    /// <summary>While paused the worker takes nothing from its rings and answers nothing it holds.</summary>
    public bool Paused
    {
        get => _worker.Paused;
        set => _worker.Paused = value;
    }

    public ValueTask<long> SquareAsync(int value, CancellationToken cancellationToken = default)
        => SubmitRequestAsync<int, long>(value, argument: 0, cancellationToken);

    /// <summary>A request whose awaiter expects a string: the worker's <c>SetResult&lt;long&gt;</c> must be refused.</summary>
    public ValueTask<string> SquareAsTextAsync(int value) => SubmitRequestAsync<int, string>(value);

    /// <summary>An operation that is only an argument.</summary>
    public ValueTask PingAsync(long argument, CancellationToken cancellationToken = default) => SubmitAsync(argument, cancellationToken);

    /// <summary>Gives the worker a second start, which the base must refuse.</summary>
    public void StartAgain() => StartWorkers([_worker]);

    /// <summary>Starts a worker made for another device, which the base must refuse.</summary>
    public void StartForeign(Accelerator other) => StartWorkers([new SquaringWorker(other, 1, TimeSpan.Zero, TimeSpan.Zero)]);
}
