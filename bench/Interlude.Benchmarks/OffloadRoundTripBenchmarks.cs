using BenchmarkDotNet.Attributes;

namespace Interlude.Benchmarks;

/// <summary>
/// One offload round trip per operation: a coroutine on a one-loop group awaits
/// <see cref="SimulatedAccelerator.SubmitAsync(CancellationToken)"/> with a zero service time, one in flight
/// at a time. The device thread is pinned to the other core and spins when idle, like hardware. The figure is
/// submit, device pick-up, completion, reap and resume, for a polling and for a blocking loop.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class OffloadRoundTripBenchmarks
{
    public const int Operations = 50_000;

    private static readonly Func<(SimulatedAccelerator Device, CompletionSignal Signal), ValueTask> s_roundTrips = RoundTripsAsync;

    private SimulatedAccelerator? _device;
    private LoopGroup? _group;
    private Loop? _loop;
    private CompletionSignal? _signal;

    [Params(WaitStrategy.Poll, WaitStrategy.Block)]
    public WaitStrategy Strategy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _device = new SimulatedAccelerator(new SimulatedAcceleratorOptions
        {
            ServiceTime = ServiceTime.Fixed(TimeSpan.Zero),
            Threads = 1,
            Cores = [BenchmarkCores.Device],
            IdleSpin = Timeout.InfiniteTimeSpan,
        });
        _group = BenchmarkCores.SingleLoopGroup(Strategy, BenchmarkCores.Loop);
        _loop = _group[0];
        _signal = new CompletionSignal();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _group?.Dispose();
        _group = null;
        _loop = null;
        _device?.Dispose();
        _device = null;
        _signal?.Dispose();
        _signal = null;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void SubmitAndResume()
    {
        CompletionSignal signal = _signal!;
        signal.Reset();
        _loop!.Spawn(s_roundTrips, (_device!, signal));
        signal.Wait();
    }

    private static async ValueTask RoundTripsAsync((SimulatedAccelerator Device, CompletionSignal Signal) state)
    {
        try
        {
            for (int i = 0; i < Operations; i++)
            {
                await state.Device.SubmitAsync();
            }

            state.Signal.Set(null);
        }
        catch (Exception ex)
        {
            state.Signal.Set(ex);
        }
    }
}
