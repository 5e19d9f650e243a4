using BenchmarkDotNet.Attributes;

namespace Interlude.Benchmarks;

/// <summary>
/// Suspend and resume of one coroutine on one polling loop: the coroutine awaits <see cref="Loop.Yield"/>
/// <see cref="Operations"/> times per invocation. The benchmark thread starts it and waits for it once per
/// invocation, so that cross-thread handoff is spread over a million operations.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class SuspendResumeBenchmarks
{
    public const int Operations = 1_000_000;

    private static readonly Func<CompletionSignal, ValueTask> s_yieldMany = YieldManyAsync;

    private LoopGroup? _group;
    private Loop? _loop;
    private CompletionSignal? _signal;

    [GlobalSetup]
    public void Setup()
    {
        _group = BenchmarkCores.SingleLoopGroup(WaitStrategy.Poll, BenchmarkCores.Loop);
        _loop = _group[0];
        _signal = new CompletionSignal();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _group?.Dispose();
        _group = null;
        _loop = null;
        _signal?.Dispose();
        _signal = null;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void YieldResume()
    {
        CompletionSignal signal = _signal!;
        signal.Reset();
        _loop!.Spawn(s_yieldMany, signal);
        signal.Wait();
    }

    private static async ValueTask YieldManyAsync(CompletionSignal signal)
    {
        try
        {
            for (int i = 0; i < Operations; i++)
            {
                await Loop.Yield();
            }

            signal.Set(null);
        }
        catch (Exception ex)
        {
            signal.Set(ex);
        }
    }
}
