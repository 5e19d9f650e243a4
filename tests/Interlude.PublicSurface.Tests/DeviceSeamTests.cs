using Interlude.PublicSurface.Tests.Devices;
using Interlude.PublicSurface.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.PublicSurface.Tests;

/// <summary>The contract of the public device seam, exercised through a device written outside the library.</summary>
public sealed class DeviceSeamTests
{
    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task EveryRequestsResultReachesItsOwnAwaiterOnItsOwnLoop(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy, count: 2);
        using var engine = new SquaringEngine();

        var clients = new Task<int>[200];
        for (int i = 0; i < clients.Length; i++)
        {
            int first = i * 10;
            clients[i] = loops.RunAsync(async () =>
            {
                Loop loop = Loop.Current!;
                int wrong = 0;
                for (int value = first; value < first + 10; value++)
                {
                    long square = await engine.SquareAsync(value);
                    wrong += square == (long)value * value && Loop.Current == loop ? 0 : 1;
                }

                return wrong;
            });
        }

        int[] wrongs = await Task.WhenAll(clients).Guarded();

        Assert.All(wrongs, w => Assert.Equal(0, w));
        Assert.Equal(2000, engine.RequestsAccepted);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ADeviceErrorReachesExactlyTheCallerWhoseRequestCausedIt(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var engine = new SquaringEngine();

        Task<long>[] requests = [.. Enumerable.Range(-5, 10).Select(v => loops.RunAsync(() => engine.SquareAsync(v)))];
        await Task.WhenAll(requests.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default))).Guarded();

        for (int i = 0; i < requests.Length; i++)
        {
            int value = i - 5;
            if (value < 0)
            {
                ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => requests[i]);
                Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal((long)value * value, await requests[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ARequestCancelledBeforeTheDeviceTakesItNeverReachesTheDeviceModel(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var engine = new SquaringEngine();
        using var cancellation = new CancellationTokenSource();
        engine.Paused = true;

        // Submitted (into the ring, where the paused worker leaves it) before the token fires.
        Task<long>? request = null;
        await loops[0].RunAsync(() =>
        {
            request = engine.SquareAsync(7, cancellation.Token).AsTask();
            return ValueTask.CompletedTask;
        }).Guarded();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request!.Guarded());
        engine.Paused = false;

        // A later request is answered, so the worker has since swept its ring past the cancelled one.
        Assert.Equal(64, await loops.RunAsync(() => engine.SquareAsync(8)).Guarded());
        Assert.Equal(1, engine.RequestsAccepted);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task ARequestTheDeviceCompletesWithoutAnsweringFailsWithAcceleratorException(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var engine = new SquaringEngine();

        await Assert.ThrowsAsync<AcceleratorException>(() => loops.RunAsync(() => engine.SquareAsync(int.MinValue)).Guarded());
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AResultOfAnotherTypeThanTheAwaiterExpectsIsRefusedAndReported(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var engine = new SquaringEngine();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => loops.RunAsync(() => engine.SquareAsTextAsync(3)).Guarded());
        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnOperationThatIsOnlyAnArgumentReachesTheDeviceWithItsArgumentAndNoPayload(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var engine = new SquaringEngine();

        await loops.RunAsync(async () =>
        {
            await engine.PingAsync(12345);
            await engine.PingAsync((1L << 62) - 1);
        }).Guarded();

        Assert.Equal([12345, (1L << 62) - 1], engine.ArgumentsSeen.ToArray());
        Assert.Equal(0, engine.RequestsAccepted);
    }

    [Fact]
    public void AnArgumentOutsideItsRangeIsRefusedByName()
    {
        using var engine = new SquaringEngine();

        Assert.Equal("argument", Assert.Throws<ArgumentOutOfRangeException>(() => engine.PingAsync(-1)).ParamName);
        Assert.Equal("argument", Assert.Throws<ArgumentOutOfRangeException>(() => engine.PingAsync(1L << 62)).ParamName);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task DisposingTheDeviceFailsWhatItsModelHoldsWithObjectDisposedException(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        var engine = new SquaringEngine(new SquaringEngineOptions { BatchSize = 8, MaxBatchDelay = TimeSpan.FromHours(1) });

        Task<long>[] held = [.. Enumerable.Range(1, 3).Select(v => loops.RunAsync(() => engine.SquareAsync(v)))];
        while (engine.RequestsAccepted < 3)
        {
            await Task.Delay(1);
        }

        engine.Dispose();

        foreach (Task<long> request in held)
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(() => request.Guarded());
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => loops.RunAsync(() => engine.SquareAsync(1)).Guarded());
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AModelThatThrowsStopsTheDeviceAndEveryAwaiterLearnsWhy(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var engine = new SquaringEngine(new SquaringEngineOptions { BatchSize = 8, MaxBatchDelay = TimeSpan.FromHours(1) });

        Task<long>[] held = [.. Enumerable.Range(1, 3).Select(v => loops.RunAsync(() => engine.SquareAsync(v)))];
        while (engine.RequestsAccepted < 3)
        {
            await Task.Delay(1);
        }

        Task<long> unlucky = loops.RunAsync(() => engine.SquareAsync(SquaringEngine.Unlucky));

        foreach (Task<long> request in held.Append(unlucky))
        {
            AcceleratorException error = await Assert.ThrowsAsync<AcceleratorException>(() => request.Guarded());
            Assert.Equal("The model cannot handle this one.", error.InnerException?.Message);
        }

        await Assert.ThrowsAsync<AcceleratorException>(() => loops.RunAsync(() => engine.SquareAsync(2)).Guarded());
        Assert.True(engine.IsDisposed);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task SubmissionsBeyondTheRingCapacityWaitInOrderAndAllComplete(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var engine = new SquaringEngine(new SquaringEngineOptions { RingCapacity = 4, BatchSize = 2 });

        long[] squares = await loops.RunAsync(async () =>
        {
            ValueTask<long>[] pending = [.. Enumerable.Range(0, 100).Select(v => engine.SquareAsync(v))];
            var results = new long[pending.Length];
            for (int i = 0; i < pending.Length; i++)
            {
                results[i] = await pending[i];
            }

            return results;
        }).Guarded();

        Assert.Equal(Enumerable.Range(0, 100).Select(v => (long)v * v), squares);
    }

    [Fact]
    public async Task ARequestFromOffAnyLoopIsAnsweredThroughTheFallbackPath()
    {
        using var engine = new SquaringEngine();

        Assert.Equal(81, await engine.SquareAsync(9).AsTask().Guarded());
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task TheSmallestDeviceOfTheSampleReadmeAnswersItsRequests(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var doubler = new Doubler(new AcceleratorOptions());

        Assert.Equal(42, await loops.RunAsync(() => doubler.DoubleAsync(21)).Guarded());
    }

    [Fact]
    public void ADeviceStartsItsWorkersOnceAndOnlyWorkersMadeForIt()
    {
        using var engine = new SquaringEngine();
        using var other = new SquaringEngine();

        Assert.Throws<InvalidOperationException>(engine.StartAgain);
        Assert.Throws<ArgumentException>(() => engine.StartForeign(other));
    }
}
