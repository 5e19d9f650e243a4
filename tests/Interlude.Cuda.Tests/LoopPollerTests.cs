using Interlude.Cuda.Completion;
using Interlude.Cuda.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cuda.Tests;

/// <summary>
/// The sequence poller plugged into real loops as the device's queue plugs it, with a fake GPU writing the flag:
/// coroutines resume on their own loop under every wait strategy, including one that always sleeps (so every
/// completion has to wake it through the requested wake, as a host function does on a real stream).
/// </summary>
public sealed class LoopPollerTests
{
    [Theory]
    [InlineData(WaitStrategy.Poll)]
    [InlineData(WaitStrategy.Block)]
    [InlineData(WaitStrategy.Adaptive)]
    public async Task Coroutines_awaiting_a_fake_gpu_resume_on_their_own_loop(WaitStrategy strategy)
    {
        await using var loops = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false, WaitStrategy = strategy });
        using var gpu = new FakeFlagGpu(uint.MaxValue - 100, step => step % 50 == 0);
        var queue = await loops.RunAsync(() => ValueTask.FromResult(new FakeQueue(Loop.Current!, gpu))).Guarded();

        var tasks = Enumerable.Range(0, 16).Select(_ => loops.RunAsync(async () =>
        {
            Loop home = Loop.Current!;
            int onHome = 0;
            for (int i = 0; i < 200; i++)
            {
                await queue.SubmitAsync();
                onHome += Loop.Current == home ? 1 : 0;
            }

            return onHome;
        })).ToList();

        int[] results = await Task.WhenAll(tasks).Guarded();
        Assert.All(results, r => Assert.Equal(200, r));
        Assert.Equal(0, queue.Anomalies);
    }

    private sealed class FakeQueue : ILoopPoller
    {
        private readonly FakeFlagGpu _gpu;
        private readonly SequencePoller<Pending> _poller;

        internal FakeQueue(Loop loop, FakeFlagGpu gpu)
        {
            _gpu = gpu;
            _poller = new SequencePoller<Pending>(gpu.Counter, 256, uint.MaxValue - 100, loop.Wake, gpu);
            gpu.OnWake = _poller.OnPublished;
            loop.AddPoller(this);
        }

        internal long Anomalies => _poller.Anomalies;

        internal Task SubmitAsync()
        {
            var pending = new Pending();
            _poller.Add(pending);
            _gpu.Submit(_poller.Submitted);
            return pending.Done.Task;
        }

        public bool Poll() => _poller.Poll();

        public bool TryEnterInterruptMode() => _poller.TryArm();

        public void ExitInterruptMode() => _poller.Disarm();
    }

    private sealed class Pending : ICompletable
    {
        internal TaskCompletionSource Done { get; } = new();

        public void Complete() => Done.SetResult();

        public void Fail(Exception error) => Done.SetException(error);
    }
}
