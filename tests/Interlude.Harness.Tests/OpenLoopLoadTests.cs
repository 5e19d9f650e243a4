using Interlude.Harness.Measurement;
using Interlude.Harness.Modes;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Workload;
using Xunit;

namespace Interlude.Harness.Tests;

// Alone: its spinning and blocking modes keep the application core busy for the whole schedule, which would
// starve the timed runs of other test classes (and theirs this one).
[Collection(AloneCollection.Name)]
public sealed class OpenLoopLoadTests : IDisposable
{
    private const int Workers = 8;

    // Generous: a noisy 2-core machine, spinning threads time-sliced with a spinning device thread.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly ModeRig _rig;
    private readonly CorePlacement _placement;
    private readonly OffloadRequestHandler _handler;

    public OpenLoopLoadTests()
    {
        _rig = new ModeRig(Workers);
        _placement = _rig.Placement;
        _handler = _rig.Handler;
    }

    public static TheoryData<string> ComparedModes => new("blocking", "busywait", "threadpool", "interlude");

    public void Dispose() => _rig.Dispose();

    [Theory]
    [MemberData(nameof(ComparedModes))]
    public async Task EveryModeCompletesAShortOpenLoopRun(string name)
    {
        var settings = new WorkloadSettings(
            OffloadUs: 10,
            CpuUs: 2,
            Concurrency: Workers,
            WarmUp: TimeSpan.FromMilliseconds(50),
            Duration: TimeSpan.FromMilliseconds(100),
            CostProbe: TimeSpan.FromMilliseconds(2),
            RateRps: 20_000);
        IExecutionMode mode = ExecutionModes.Create(name, _placement);
        var generator = new OpenLoopLoadGenerator(_handler, settings, _rig.DeviceFor(mode));
        RunResult result;
        try
        {
            result = await generator.RunAsync(mode, CancellationToken.None).WaitAsync(s_timeout);
        }
        finally
        {
            Assert.Null(await mode.StopAsync().WaitAsync(s_timeout));
        }

        Assert.True(result.Requests > 0, "no request was measured");
        Assert.True(result.QuantileUs(0.5) <= result.QuantileUs(0.99), $"p50 {result.QuantileUs(0.5)} us > p99 {result.QuantileUs(0.99)} us");
    }
}
