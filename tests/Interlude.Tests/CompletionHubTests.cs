using Interlude.Offload;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// One loop serving many device channels: every completion reaches its own coroutine exactly once whichever way
/// the loop finds ready channels, including while Auto switches from scanning to the summary under load.
/// </summary>
public sealed class CompletionHubTests
{
    // The scan travels by name: the enum is internal and theory parameters of public methods must be public.
    public static TheoryData<WaitStrategy, string> StrategiesAndScans()
    {
        var data = new TheoryData<WaitStrategy, string>();
        foreach (WaitStrategy strategy in new[] { WaitStrategy.Poll, WaitStrategy.Block, WaitStrategy.Adaptive })
        {
            foreach (CompletionScan scan in Enum.GetValues<CompletionScan>())
            {
                data.Add(strategy, scan.ToString());
            }
        }

        return data;
    }

    [Theory, MemberData(nameof(StrategiesAndScans))]
    public async Task A_coroutine_resumed_by_the_hub_can_attach_new_channels_while_the_hub_is_still_reaping(WaitStrategy strategy, string scanName)
    {
        // Each await resumes inline from the hub's poll, and the coroutine's next submission goes to a device the
        // loop has never used: its channel attaches, and the channel table grows, in the middle of that poll.
        const int Devices = 40;
        LoopGroupOptions options = TestRig.LoopOptions(strategy);
        options.CompletionScan = Enum.Parse<CompletionScan>(scanName);
        await using var group = new LoopGroup(options);
        var faults = new System.Collections.Concurrent.ConcurrentQueue<LoopFaultEventArgs>();
        group.Faulted += (_, fault) => faults.Enqueue(fault);
        var devices = new CpuAccelerator[Devices];
        try
        {
            for (int d = 0; d < Devices; d++)
            {
                devices[d] = new CpuAccelerator(new CpuAcceleratorOptions { IdleSpin = TimeSpan.Zero, RingCapacity = 2 });
            }

            int sum = await group.RunAsync(async () =>
            {
                int total = 0;
                for (int round = 0; round < 3; round++)
                {
                    foreach (CpuAccelerator device in devices)
                    {
                        total += await device.SubmitAsync(static x => x, 1);
                    }
                }

                return total;
            }).Guarded();

            Assert.Equal(3 * Devices, sum);
            Assert.Empty(faults);
        }
        finally
        {
            foreach (CpuAccelerator? device in devices)
            {
                device?.Dispose();
            }
        }
    }

    [Theory, MemberData(nameof(StrategiesAndScans))]
    public async Task Every_completion_from_many_devices_reaches_its_owner_once(WaitStrategy strategy, string scanName)
    {
        CompletionScan scan = Enum.Parse<CompletionScan>(scanName);
        const int Devices = 70; // more than one readiness word, and past Auto's switching point
        const int PerDevice = 300;
        LoopGroupOptions options = TestRig.LoopOptions(strategy);
        options.CompletionScan = scan;
        await using var group = new LoopGroup(options);
        var devices = new SimulatedAccelerator[Devices];
        try
        {
            for (int d = 0; d < Devices; d++)
            {
                int seed = d;
                devices[d] = TestRig.CreateDevice(o =>
                {
                    o.ServiceTime = ServiceTime.Exponential(TimeSpan.FromMicroseconds(3));
                    o.Seed = seed;
                    o.IdleSpin = TimeSpan.Zero;
                });
            }

            var received = new int[Devices * PerDevice];

            // Devices are first used one after another, so channels attach (and Auto switches) while others complete.
            var owners = new Task[Devices];
            for (int d = 0; d < Devices; d++)
            {
                int device = d;
                owners[d] = group.RunAsync(async () =>
                {
                    Loop loop = Loop.Current!;
                    for (int i = 0; i < PerDevice; i++)
                    {
                        int id = (device * PerDevice) + i;
                        int result = await devices[device].SubmitAsync(static x => x, id);
                        Assert.Same(loop, Loop.Current);
                        Assert.Equal(id, result);
                        received[id]++;
                    }
                });
            }

            await Task.WhenAll(owners).Guarded();
            Assert.All(received, count => Assert.Equal(1, count));

            bool usesSummary = await group.RunAsync(() => ValueTask.FromResult(Loop.Current!.Completions.UsesSummary)).Guarded();
            Assert.Equal(scan != CompletionScan.Linear, usesSummary);
        }
        finally
        {
            foreach (SimulatedAccelerator? device in devices)
            {
                device?.Dispose();
            }
        }
    }

    [Fact]
    public async Task Disposed_devices_leave_the_hub_and_their_slots_are_reused()
    {
        await using var group = new LoopGroup(TestRig.LoopOptions(WaitStrategy.Block));
        for (int round = 0; round < 3; round++)
        {
            var devices = Enumerable.Range(0, 8).Select(_ => TestRig.CreateDevice(o => o.IdleSpin = TimeSpan.Zero)).ToArray();
            await group.RunAsync(async () =>
            {
                foreach (SimulatedAccelerator device in devices)
                {
                    await device.SubmitAsync();
                }
            }).Guarded();
            Assert.Equal(8, await ChannelCountAsync(group));

            foreach (SimulatedAccelerator device in devices)
            {
                device.Dispose();
            }

            long deadline = Environment.TickCount64 + (long)Timeouts.Condition.TotalMilliseconds;
            while (await ChannelCountAsync(group) != 0)
            {
                Assert.True(Environment.TickCount64 < deadline, "disposed devices' channels never left the hub");
                await Task.Delay(1);
            }
        }
    }

    private static async Task<int> ChannelCountAsync(LoopGroup group)
        => await group.RunAsync(() => ValueTask.FromResult(Loop.Current!.Completions.ChannelCount)).Guarded();
}
