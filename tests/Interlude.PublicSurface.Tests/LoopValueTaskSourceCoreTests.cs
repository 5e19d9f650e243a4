using System.Threading.Tasks.Sources;
using Interlude.PublicSurface.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.PublicSurface.Tests;

/// <summary>The public loop-aware completion core that devices completing by polling build their operations on.</summary>
public sealed class LoopValueTaskSourceCoreTests
{
    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task CompletedOnTheAwaitersLoopTheContinuationRunsInlineBeforeSetResultReturns(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        var source = new ManualSource();

        bool resumedInline = await loops[0].RunAsync(async () =>
        {
            source.Prepare(Loop.Current);
            bool setResultReturned = false;
            Loop.Current!.Spawn(async () =>
            {
                await Loop.Yield();
                source.Complete(5);
                setResultReturned = true;
            });

            int value = await source.Task;
            return value == 5 && !setResultReturned;
        }).Guarded();

        Assert.True(resumedInline);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task CompletedOnAnotherThreadTheContinuationIsPostedToTheAwaitersLoop(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        var source = new ManualSource();
        var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<bool> awaiting = loops[0].RunAsync(async () =>
        {
            Loop loop = Loop.Current!;
            source.Prepare(completesOn: null);
            ValueTask<int> pending = source.Task;
            submitted.SetResult();
            await pending;
            return Loop.Current == loop;
        });
        await submitted.Task.Guarded();
        await Task.Run(() => source.Complete(1)).Guarded();

        Assert.True(await awaiting.Guarded());
    }

    [Fact]
    public void AStaleTokenIsRejected()
    {
        var source = new ManualSource();
        source.Prepare(completesOn: null);
        short first = source.Version;
        source.Complete(1);
        Assert.Equal(1, source.GetResult(first));
        source.Prepare(completesOn: null);

        Assert.Throws<InvalidOperationException>(() => source.GetResult(first));
        Assert.Throws<InvalidOperationException>(() => source.GetStatus(first));
    }

    [Fact]
    public void CompletingTwiceIsRefused()
    {
        var source = new ManualSource();
        source.Prepare(completesOn: null);
        source.Complete(1);

        Assert.Throws<InvalidOperationException>(() => source.Complete(2));
    }

    /// <summary>A reusable source, as a polled device's operation would be.</summary>
    private sealed class ManualSource : IValueTaskSource<int>
    {
        private LoopValueTaskSourceCore<int> _core;

        public ValueTask<int> Task => new(this, _core.Version);

        public short Version => _core.Version;

        public void Prepare(Loop? completesOn)
        {
            _core.Reset();
            _core.CompletesOn = completesOn;
        }

        public void Complete(int value) => _core.SetResult(value);

        public int GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            => _core.OnCompleted(continuation, state, token, flags);
    }
}
