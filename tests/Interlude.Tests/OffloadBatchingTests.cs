using Interlude.Loops;
using Interlude.Offload;
using Interlude.Tests.Infrastructure;
using Interlude.Waiting;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// Submissions are published with one fence per loop step and completions with one fence per call into the
/// device's model. Each side sees the other asleep or looks again after its fence, so no wake is lost: these tests
/// play the sleeping side by hand at the one moment a per-item fence used to cover.
/// </summary>
public sealed class OffloadBatchingTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task A_worker_that_goes_to_sleep_after_a_submission_saw_it_awake_is_woken_when_the_step_ends(WaitStrategy strategy)
    {
        await using var group = TestRig.CreateGroup(strategy);
        using var device = new HookedAccelerator(holdWorker: true);
        Parker parker = device.Worker.Parker;
        int result = await group[0].RunAsync(async () =>
        {
            try
            {
                // The held worker thread never touches its parker: this step plays it.
                ValueTask<int> offload = device.SubmitAsync(static x => x + 1, 41);

                // The worker re-checked its rings before the submission was visible and now sleeps.
                Assert.True(parker.TryPrepare());

                // The step ends here; the loop fences once for its submissions and looks at the parker again.
                await Loop.Yield();
                Assert.Equal(Parker.Notified, parker.CurrentState);
                device.Worker.Release();
                return await offload;
            }
            finally
            {
                device.Worker.Release();
            }
        }).Guarded();

        Assert.Equal(42, result);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task A_worker_seen_asleep_is_woken_by_the_submission_itself(WaitStrategy strategy)
    {
        await using var group = TestRig.CreateGroup(strategy);
        using var device = new HookedAccelerator(holdWorker: true);
        Parker parker = device.Worker.Parker;
        int result = await group[0].RunAsync(async () =>
        {
            try
            {
                Assert.True(parker.TryPrepare());
                ValueTask<int> offload = device.SubmitAsync(static x => x * 2, 21);

                // Still inside the submitting step: a sleeping worker does not wait for the step to end.
                Assert.Equal(Parker.Notified, parker.CurrentState);
                device.Worker.Release();
                return await offload;
            }
            finally
            {
                device.Worker.Release();
            }
        }).Guarded();

        Assert.Equal(42, result);
    }

    [Fact]
    public async Task A_loop_that_arms_after_a_completion_saw_it_awake_is_woken_once_the_models_call_returns()
    {
        await using var group = TestRig.CreateGroup(WaitStrategy.Block);
        using var device = new HookedAccelerator(holdWorker: false);

        // A loop that is never started: the test plays it, so nothing reaps or sleeps behind its back. Its channel
        // is not attached to its hub, so the hub's re-check before sleeping sees no completion, as a loop whose
        // re-check ran before the device's completion was visible.
        var loop = new Loop(group, 0, null, TestRig.LoopOptions(WaitStrategy.Block));
        var channel = new DeviceChannel(loop, 4, device.Worker, 4, OffloadOverflow.Reject);
        int stateAtPublication = -1;
        bool armed = false;
        device.Worker.AfterComplete = () =>
        {
            stateAtPublication = loop.Parker.CurrentState;
            armed = loop.Completions.TryEnterInterruptMode() && loop.Parker.TryPrepare();
        };

        var op = OffloadOperation<int, int>.Rent(static x => x + 1, 1, isRequest: false, argument: 0, channel);
        device.Worker.AddChannel(channel);
        Assert.True(channel.Submissions.TryEnqueue(op, op.Descriptor));
        device.Worker.Parker.Unpark();

        await Eventually.TrueAsync(() => loop.Parker.CurrentState == Parker.Notified, "the device wakes the loop that armed after its completion");
        Assert.Equal(Parker.Empty, stateAtPublication);
        Assert.True(armed);
        Assert.True(channel.Completions.TryDequeue(out OffloadOperation? reaped));
        Assert.Same(op, reaped);
        device.Worker.RemoveChannel(channel);
    }

    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task Every_offload_of_batches_submitted_in_one_step_completes(WaitStrategy strategy)
    {
        // The device sleeps as soon as it is idle, so each batch finds it asleep or falling asleep; its lanes are
        // fewer than a batch and every operation of a batch is due at the same time, so one call into the model
        // completes many of them, for several loops.
        const int Loops = 2;
        const int Batch = 48;
        const int Rounds = 40;
        await using var group = TestRig.CreateGroup(strategy, Loops);
        using var device = TestRig.CreateDevice(o =>
        {
            o.IdleSpin = TimeSpan.Zero;
            o.Lanes = 16;
            o.ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(30));
        });
        var runs = new Task<int>[Loops];
        for (int l = 0; l < Loops; l++)
        {
            Loop loop = group[l];
            runs[l] = loop.RunAsync(async () =>
            {
                int completed = 0;
                var batch = new ValueTask[Batch];
                for (int round = 0; round < Rounds; round++)
                {
                    for (int i = 0; i < Batch; i++)
                    {
                        batch[i] = device.SubmitAsync();
                    }

                    foreach (ValueTask offload in batch)
                    {
                        await offload;
                        completed++;
                    }

                    if (round % 4 == 0)
                    {
                        // Long enough for the device to fall asleep before the next batch.
                        await loop.Delay(TimeSpan.FromMilliseconds(1));
                    }
                }

                return completed;
            });
        }

        int[] totals = await Task.WhenAll(runs).Guarded();
        Assert.All(totals, t => Assert.Equal(Batch * Rounds, t));
    }
}
