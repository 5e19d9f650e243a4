using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class OffloadDeliveryTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task OffloadsAreNeverLostOrDuplicated(WaitStrategy strategy)
    {
        const int total = 1_000_000;
        const int coroutines = 256;
        await using TestRig rig = TestRig.Create(strategy, loops: 2, device =>
        {
            device.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(1));
            device.Lanes = 128;
        });
        var seen = new int[(total + 31) / 32];
        long duplicates = 0;

        var tasks = new Task[coroutines];
        for (int c = 0; c < coroutines; c++)
        {
            int first = c;
            tasks[c] = rig.Group.RunAsync(async () =>
            {
                Loop loop = Loop.Current!;
                Thread thread = Thread.CurrentThread;
                Assert.Same(loop.Thread, thread);
                for (int id = first; id < total; id += coroutines)
                {
                    int result = await rig.Device.SubmitAsync(static x => x, id);
                    if (Loop.Current != loop || Thread.CurrentThread != thread)
                    {
                        Assert.Fail($"Offload {id} resumed on {Thread.CurrentThread.Name} instead of {thread.Name}.");
                    }

                    Assert.Equal(id, result);
                    int bit = 1 << (id & 31);
                    if ((Interlocked.Or(ref seen[id >> 5], bit) & bit) != 0)
                    {
                        Interlocked.Increment(ref duplicates);
                    }
                }
            });
        }

        await Task.WhenAll(tasks).Guarded();

        Assert.Equal(0, Interlocked.Read(ref duplicates));
        for (int id = 0; id < total; id++)
        {
            if ((seen[id >> 5] & (1 << (id & 31))) == 0)
            {
                Assert.Fail($"Offload {id} never completed.");
            }
        }

        IReadOnlyList<LoopStatistics> stats = rig.Group.GetStatistics();
        Assert.Equal(total, stats.Sum(s => s.OffloadsSubmitted));
        Assert.Equal(total, stats.Sum(s => s.OffloadsCompleted));
        Assert.Equal(0, stats.Sum(s => s.OffloadsFailed));
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ResultlessOffloadsResumeOnTheSubmittingLoop(WaitStrategy strategy)
    {
        await using TestRig rig = TestRig.Create(strategy, loops: 2);

        Task[] tasks = rig.Group.Loops
            .Select(loop => loop.RunAsync(async () =>
            {
                for (int i = 0; i < 1_000; i++)
                {
                    await rig.Device.SubmitAsync();
                    Assert.Same(loop, Loop.Current);
                }
            }))
            .ToArray();

        await Task.WhenAll(tasks).Guarded();
        Assert.All(rig.Group.GetStatistics(), s => Assert.Equal(1_000, s.OffloadsCompleted));
    }

    [Fact]
    public async Task OffloadsSubmittedOffAnyLoopStillComplete()
    {
        using SimulatedAccelerator device = TestRig.CreateDevice(options => options.RingCapacity = 8);

        Task<int>[] results = Enumerable.Range(0, 100)
            .Select(i => Task.Run(async () => await device.SubmitAsync(static x => x + 1, i)))
            .ToArray();

        int[] values = await Task.WhenAll(results).Guarded();
        Assert.Equal(Enumerable.Range(1, 100), values);
    }
}
