using Interlude.Cuda.Completion;
using Interlude.Cuda.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Cuda.Tests;

public sealed class SequencePollerTests
{
    [Fact]
    public void Submissions_complete_in_order_only_up_to_the_published_number()
    {
        var counter = new PublishedCounter(0);
        var log = new List<int>();
        var poller = new SequencePoller<FakeOperation>(counter, 8, 0, () => { }, null);
        var ops = Enumerable.Range(1, 5).Select(i => new FakeOperation(i, log)).ToList();
        Assert.Equal([1u, 2u, 3u, 4u, 5u], ops.Select(poller.Add));

        Assert.False(poller.Poll());
        counter.Publish(3);

        Assert.True(poller.Poll());
        Assert.Equal([1, 2, 3], log);
        Assert.False(ops[3].Completed);
        Assert.Equal(2, poller.InFlight);
        Assert.False(poller.Poll());
    }

    [Theory]
    [InlineData(uint.MaxValue - 5)]
    [InlineData(uint.MaxValue)]
    [InlineData(0u)]
    public void The_numbers_wrap_past_2_to_the_32_without_losing_or_repeating_a_completion(uint initial)
    {
        var counter = new PublishedCounter(initial);
        var log = new List<int>();
        var poller = new SequencePoller<FakeOperation>(counter, 4, initial, () => { }, null);
        uint published = initial;
        int next = 0;
        for (int round = 0; round < 10; round++)
        {
            while (!poller.IsFull)
            {
                poller.Add(new FakeOperation(next++, log));
            }

            published += 3;
            counter.Publish(published);
            Assert.True(poller.Poll());
        }

        Assert.Equal(Enumerable.Range(0, 30), log);
        Assert.Equal(0, poller.Anomalies);
        Assert.Equal(unchecked(initial + 30), poller.Reaped);
    }

    [Fact]
    public void A_published_number_ahead_of_what_was_submitted_completes_nothing_and_is_counted()
    {
        var counter = new PublishedCounter(10);
        var poller = new SequencePoller<FakeOperation>(counter, 8, 10, () => { }, null);
        var op = new FakeOperation(1);
        poller.Add(op);

        counter.Publish(15);

        Assert.False(poller.Poll());
        Assert.False(op.Completed);
        Assert.Equal(1, poller.Anomalies);
    }

    [Fact]
    public void A_full_stream_refuses_another_submission_naming_the_option()
    {
        var poller = new SequencePoller<FakeOperation>(new PublishedCounter(0), 2, 0, () => { }, null);
        poller.Add(new FakeOperation(1));
        poller.Add(new FakeOperation(2));

        var error = Assert.Throws<InvalidOperationException>(() => poller.Add(new FakeOperation(3)));
        Assert.Contains("MaxInFlightPerLoop", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-4)]
    public void The_capacity_must_be_a_power_of_two(int capacity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequencePoller<FakeOperation>(new PublishedCounter(0), capacity, 0, () => { }, null));

    [Fact]
    public void Arming_refuses_when_a_completion_is_already_there()
    {
        var counter = new PublishedCounter(0);
        var poller = new SequencePoller<FakeOperation>(counter, 8, 0, () => { }, null);
        poller.Add(new FakeOperation(1));
        counter.Publish(1);

        Assert.False(poller.TryArm());
        Assert.False(poller.IsArmed);
    }

    [Fact]
    public void A_producer_wakes_the_loop_only_while_it_is_armed_and_only_once()
    {
        var counter = new PublishedCounter(0);
        int wakes = 0;
        var poller = new SequencePoller<FakeOperation>(counter, 8, 0, () => wakes++, null);
        poller.Add(new FakeOperation(1));

        counter.Publish(1);
        poller.OnPublished();
        Assert.Equal(0, wakes);

        poller.Poll();
        poller.Add(new FakeOperation(2));
        Assert.True(poller.TryArm());
        counter.Publish(2);
        poller.OnPublished();
        poller.OnPublished();
        Assert.Equal(1, wakes);
        Assert.False(poller.IsArmed);
    }

    [Fact]
    public void A_producer_that_cannot_see_the_flag_is_asked_for_one_wake_per_new_submission()
    {
        var counter = new PublishedCounter(0);
        var requests = new WakeCounter();
        var poller = new SequencePoller<FakeOperation>(counter, 8, 0, () => { }, requests);

        Assert.True(poller.TryArm());
        Assert.Equal(0, requests.Count);

        poller.Disarm();
        poller.Add(new FakeOperation(1));
        Assert.True(poller.TryArm());
        poller.Disarm();
        Assert.True(poller.TryArm());
        Assert.Equal(1, requests.Count);

        poller.Disarm();
        poller.Add(new FakeOperation(2));
        Assert.True(poller.TryArm());
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public void FailAll_fails_everything_in_flight_and_nothing_completes_after()
    {
        var counter = new PublishedCounter(0);
        var poller = new SequencePoller<FakeOperation>(counter, 8, 0, () => { }, null);
        var ops = Enumerable.Range(1, 3).Select(i => new FakeOperation(i)).ToList();
        ops.ForEach(o => poller.Add(o));

        poller.FailAll(new ObjectDisposedException("device"));
        counter.Publish(3);

        Assert.All(ops, o => Assert.IsType<ObjectDisposedException>(o.Error));
        Assert.False(poller.Poll());
    }

    /// <summary>
    /// A fake GPU thread writes the mapped word while this thread plays the loop: it polls, and when it finds
    /// nothing it arms and sleeps until woken. Every submission completes, in order, and no completion is slept
    /// through: a lost wake would hang here and fail at the guard.
    /// </summary>
    [Fact]
    public async Task A_fake_gpu_writing_the_flag_from_another_thread_completes_everything_in_order_with_no_lost_wake()
    {
        const int Total = 20_000;
        uint initial = uint.MaxValue - 1000;
        using var gpu = new FakeFlagGpu(initial, step => step % 97 == 0);
        using var bell = new SemaphoreSlim(0);
        var poller = new SequencePoller<FakeOperation>(gpu.Counter, 64, initial, () => bell.Release(), gpu);
        gpu.OnWake = poller.OnPublished;
        var log = new List<int>(Total);
        int sleeps = 0;

        await Task.Run(async () =>
        {
            int submitted = 0;
            while (log.Count < Total)
            {
                while (submitted < Total && !poller.IsFull)
                {
                    poller.Add(new FakeOperation(submitted++, log));
                    gpu.Submit(poller.Submitted);
                }

                if (poller.Poll())
                {
                    continue;
                }

                if (submitted > log.Count && poller.TryArm())
                {
                    sleeps++;
                    Assert.True(await bell.WaitAsync(Timeouts.Generous), "the loop slept through a completion");
                    poller.Disarm();
                }
            }
        }).Guarded();

        Assert.Equal(Enumerable.Range(0, Total), log);
        Assert.Equal(0, poller.Anomalies);
        Assert.True(sleeps > 0, "the loop never slept, so the wake path was not exercised");
        Assert.True(gpu.WakeRequests >= sleeps, $"{gpu.WakeRequests} wake requests for {sleeps} sleeps");
    }

    private sealed class WakeCounter : IWakeRequest
    {
        internal int Count { get; private set; }

        public void RequestWake() => Count++;
    }
}
