using System.Diagnostics;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

/// <summary>
/// The hub knows when the oldest offload still in flight was submitted (the adaptive policy asks the latency
/// distribution about it): it follows completions in any order, and falls back to the last submission when none is out.
/// </summary>
public sealed class OldestOutstandingTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task The_oldest_submission_moves_on_as_offloads_complete_in_any_order(WaitStrategy strategy)
    {
        await using var group = new LoopGroup(TestRig.LoopOptions(strategy));
        // Two devices, so that one can finish while the other still holds an older offload (a channel's offloads
        // end in order on a one-thread engine).
        using var first = new CpuAccelerator(new CpuAcceleratorOptions { IdleSpin = TimeSpan.Zero });
        using var second = new CpuAccelerator(new CpuAcceleratorOptions { IdleSpin = TimeSpan.Zero });
        using var gateA = new ManualResetEventSlim();
        using var gateB = new ManualResetEventSlim();
        using var gateC = new ManualResetEventSlim();
        Func<ManualResetEventSlim, int> wait = static gate =>
        {
            gate.Wait();
            return 1;
        };

        long[] bounds = await group[0].RunAsync(async () =>
        {
            var hub = Loop.Current!.Completions;
            long t0 = Stopwatch.GetTimestamp();
            ValueTask<int> a = first.SubmitAsync(wait, gateA);
            long t1 = Stopwatch.GetTimestamp();
            ValueTask<int> b = second.SubmitAsync(wait, gateB);
            long t2 = Stopwatch.GetTimestamp();
            ValueTask<int> c = second.SubmitAsync(wait, gateC);
            long t3 = Stopwatch.GetTimestamp();
            long whileAll = hub.OldestSubmitAt();

            // The second ends first: the oldest is still the first, on the other device.
            gateB.Set();
            await b;
            long afterB = hub.OldestSubmitAt();

            // Then the first: the oldest is now the third, on the second device.
            gateA.Set();
            await a;
            long afterA = hub.OldestSubmitAt();

            gateC.Set();
            await c;
            long afterAll = hub.OldestSubmitAt();
            return new[] { t0, t1, t2, t3, whileAll, afterB, afterA, afterAll, hub.LastSubmitAt };
        }).Guarded();

        (long t0, long t1, long t2, long t3) = (bounds[0], bounds[1], bounds[2], bounds[3]);
        Assert.InRange(bounds[4], t0, t1);
        Assert.InRange(bounds[5], t0, t1);
        Assert.InRange(bounds[6], t2, t3);
        Assert.Equal(bounds[8], bounds[7]);
        Assert.InRange(bounds[7], t2, t3);
    }
}
