using System.Collections.Concurrent;
using System.Reflection;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class AsyncLockTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task OnlyOneCoroutineHoldsTheLockAtATime(WaitStrategy strategy)
    {
        await using var group = new LoopGroup(new LoopGroupOptions { LoopCount = 2, PinThreads = false, WaitStrategy = strategy });
        using var device = new SimulatedAccelerator(new SimulatedAcceleratorOptions
        {
            ServiceTime = ServiceTime.Exponential(TimeSpan.FromMicroseconds(5)),
            IdleSpin = TimeSpan.FromMicroseconds(50),
        });
        var gate = new AsyncLock();
        int holders = 0;
        int overlaps = 0;
        long counter = 0;

        var workers = Enumerable.Range(0, 64).Select(_ => group.RunAsync(async () =>
        {
            for (int i = 0; i < 40; i++)
            {
                using (await gate.LockAsync())
                {
                    if (Interlocked.Increment(ref holders) != 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    long read = counter;
                    await device.SubmitAsync();
                    counter = read + 1;
                    Interlocked.Decrement(ref holders);
                }
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(s_guard);
        Assert.Equal(0, overlaps);
        Assert.Equal(64 * 40, counter);
        Assert.False(gate.IsHeld);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task WaitersAreGrantedTheLockInArrivalOrder(WaitStrategy strategy)
    {
        await using var group = new LoopGroup(new LoopGroupOptions { LoopCount = 2, PinThreads = false, WaitStrategy = strategy });
        var gate = new AsyncLock();
        Assert.True(gate.TryLock(out AsyncLock.Releaser first));
        var granted = new ConcurrentQueue<int>();
        var waiters = new List<Task>();
        for (int i = 0; i < 10; i++)
        {
            int id = i;
            waiters.Add(group[id % 2].RunAsync(async () =>
            {
                using (await gate.LockAsync())
                {
                    granted.Enqueue(id);
                    await Loop.Yield();
                }
            }));

            // Queue them one by one so arrival order is known.
            await WaitUntil(() => gate.WaitingCount == id + 1);
        }

        first.Dispose();
        await Task.WhenAll(waiters).WaitAsync(s_guard);
        Assert.Equal(Enumerable.Range(0, 10), granted);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AWaitingCoroutineDoesNotHoldUpOthersOnItsLoop(WaitStrategy strategy)
    {
        await using var group = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false, WaitStrategy = strategy });
        var gate = new AsyncLock();
        var releaseHolder = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task holder = group.RunAsync(async () =>
        {
            using (await gate.LockAsync())
            {
                await releaseHolder.Task;
            }
        });
        await WaitUntil(() => gate.IsHeld);

        bool waiterGotLock = false;
        Task waiter = group.RunAsync(async () =>
        {
            using (await gate.LockAsync())
            {
                waiterGotLock = true;
            }
        });
        await WaitUntil(() => gate.WaitingCount == 1);

        int steps = await group.RunAsync(async () =>
        {
            int n = 0;
            for (; n < 1000; n++)
            {
                await Loop.Yield();
            }

            return n;
        }).WaitAsync(s_guard);

        Assert.Equal(1000, steps);
        Assert.False(waiterGotLock);
        Assert.False(waiter.IsCompleted);

        releaseHolder.SetResult();
        await Task.WhenAll(holder, waiter).WaitAsync(s_guard);
        Assert.True(waiterGotLock);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ACancelledWaiterLeavesTheQueueAndTheOthersKeepTheirOrder(WaitStrategy strategy)
    {
        await using var group = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false, WaitStrategy = strategy });
        var gate = new AsyncLock();
        Assert.True(gate.TryLock(out AsyncLock.Releaser first));
        var granted = new ConcurrentQueue<int>();
        using var cancel = new CancellationTokenSource();
        var tasks = new Task[3];
        for (int i = 0; i < 3; i++)
        {
            int id = i;
            CancellationToken token = id == 1 ? cancel.Token : CancellationToken.None;
            tasks[i] = group.RunAsync(async () =>
            {
                using (await gate.LockAsync(token))
                {
                    granted.Enqueue(id);
                }
            });
            await WaitUntil(() => gate.WaitingCount == id + 1);
        }

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tasks[1].WaitAsync(s_guard));
        Assert.Equal(2, gate.WaitingCount);

        first.Dispose();
        await Task.WhenAll(tasks[0], tasks[2]).WaitAsync(s_guard);
        Assert.Equal([0, 2], granted.ToArray());
        Assert.False(gate.IsHeld);
    }

    /// <summary>
    /// The holder's release finds a waiter (so it takes the slow path), but before it gets the waiter queue the
    /// only waiter is cancelled and leaves. The release must then free the lock, not hand it to nobody. The test
    /// holds the lock's internal gate to stop the release at exactly that point (the gate is reentrant, so the
    /// cancellation can still withdraw the waiter from this thread).
    /// </summary>
    [Fact]
    public void AReleaseThatFindsItsOnlyWaiterCancelledFreesTheLock()
    {
        var gate = new AsyncLock();
        object queueGate = typeof(AsyncLock).GetField("_gate", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(gate)!;
        Assert.True(gate.TryLock(out AsyncLock.Releaser holder));
        using var cancel = new CancellationTokenSource();
        ValueTask<AsyncLock.Releaser> waiter = gate.LockAsync(cancel.Token);
        Exception? releaseError = null;
        var releasing = new Thread(() => releaseError = Record.Exception(holder.Dispose)) { IsBackground = true, Name = "releasing holder" };

        Monitor.Enter(queueGate);
        try
        {
            releasing.Start();
            var spin = new BoundedSpin("the release waits for the waiter queue");
            while ((releasing.ThreadState & ThreadState.WaitSleepJoin) == 0)
            {
                spin.Once();
            }

            cancel.Cancel();
            Assert.True(waiter.IsCanceled);
        }
        finally
        {
            Monitor.Exit(queueGate);
        }

        Assert.True(releasing.Join(Timeouts.Generous), "the release hung");
        Assert.Null(releaseError);
        Assert.False(gate.IsHeld);
        Assert.True(gate.TryLock(out AsyncLock.Releaser next));
        next.Dispose();
    }

    [Fact]
    public void ReleasingMoreOftenThanAcquiringIsAnError()
    {
        var gate = new AsyncLock();
        Assert.True(gate.TryLock(out AsyncLock.Releaser releaser));
        Assert.False(gate.TryLock(out _));
        releaser.Dispose();
        Assert.Throws<SynchronizationLockException>(() => releaser.Dispose());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_guard;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true.");
            }

            await Task.Delay(1);
        }
    }
}
