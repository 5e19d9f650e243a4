using Interlude.Harness.Modes;
using Interlude.Harness.Tests.Infrastructure;
using Interlude.Harness.Workload;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class ExecutionModeTests : IDisposable
{
    private const int Workers = 4;
    private const int RequestsPerWorker = 50;

    // Generous: a noisy 2-core machine, spinning threads time-sliced with a spinning device thread.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly ModeRig _rig;
    private readonly CorePlacement _placement;
    private readonly OffloadRequestHandler _handler;

    public ExecutionModeTests()
    {
        _rig = new ModeRig(Workers);
        _placement = _rig.Placement;
        _handler = _rig.Handler;
    }

    public static TheoryData<string> ModeNames => new(ExecutionModes.Names);

    public void Dispose() => _rig.Dispose();

    [Theory]
    [MemberData(nameof(ModeNames))]
    public async Task EveryModeGivesTheHandlerResultsOfARunWithoutAnyMode(string name)
    {
        ulong expected = 0;
        for (long index = 0; index < Workers * RequestsPerWorker; index++)
        {
            expected += await _handler.HandleAsync(CompletedOffloadPort.Instance, index);
        }

        var phase = new LoadPhase();
        LoadWorker[] workers = Enumerable.Range(0, Workers)
            .Select(i => new LoadWorker(_handler, phase, i, Workers, RequestsPerWorker))
            .ToArray();
        IExecutionMode mode = ExecutionModes.Create(name, _placement);
        try
        {
            await mode.RunWorkersAsync(workers, _rig.DeviceFor(mode)).WaitAsync(s_timeout);
        }
        finally
        {
            Assert.Null(await mode.StopAsync().WaitAsync(s_timeout));
        }

        Assert.All(workers, w => Assert.Equal(RequestsPerWorker, w.Completed));
        ulong actual = 0;
        foreach (LoadWorker worker in workers)
        {
            actual += worker.Checksum;
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(ModeNames))]
    public async Task EveryModesThreadsEndAfterStop(string name)
    {
        var phase = new LoadPhase();
        LoadWorker[] workers = Enumerable.Range(0, Workers).Select(i => new LoadWorker(_handler, phase, i, Workers)).ToArray();
        IExecutionMode mode = ExecutionModes.Create(name, _placement);
        try
        {
            Task running = mode.RunWorkersAsync(workers, _rig.DeviceFor(mode));
            await mode.MeasureCpuWorkNsAsync(_handler.RunComputeOnly, TimeSpan.FromMilliseconds(2)).WaitAsync(s_timeout);
            phase.Stop();
            await running.WaitAsync(s_timeout);
        }
        finally
        {
            phase.Stop();
            Assert.Null(await mode.StopAsync().WaitAsync(s_timeout));
        }

        Assert.All(mode.Threads, t => Assert.True(t.Join(s_timeout), $"{t.Name} still runs"));
        if (ThreadPerRequestMode.IsThreadPerRequest(name))
        {
            // One per worker and one that measured c.
            Assert.Equal(Workers + 1, mode.Threads.Count);
        }
    }

    [Fact]
    public async Task TheThreadPoolModeConfinesTheProcessWhileItRunsAndRestoresItAfter()
    {
        if (!CpuAffinity.IsSupported)
        {
            // CPU affinity is Linux only; elsewhere the mode runs unconfined and there is nothing to check.
            return;
        }

        int[]? before = CpuAffinity.GetThreadCores(Environment.ProcessId);
        IExecutionMode mode = ExecutionModes.Create(ThreadPoolAsyncMode.ModeName, _placement);
        try
        {
            await mode.MeasureCpuWorkNsAsync(_handler.RunComputeOnly, TimeSpan.FromMilliseconds(2)).WaitAsync(s_timeout);
            Assert.Equal(_placement.ApplicationCores.Order(), CpuAffinity.GetThreadCores(Environment.ProcessId));
        }
        finally
        {
            await mode.StopAsync().WaitAsync(s_timeout);
        }

        Assert.Equal(before, CpuAffinity.GetThreadCores(Environment.ProcessId));
    }

    [Theory]
    [MemberData(nameof(ModeNames))]
    public async Task OnlyTheThreadPerRequestModesAskForADeviceThatCompletesInline(string name)
    {
        IExecutionMode mode = ExecutionModes.Create(name, _placement);
        try
        {
            Assert.Equal(ThreadPerRequestMode.IsThreadPerRequest(name), mode.NeedsInlineCompletions);
        }
        finally
        {
            await mode.StopAsync().WaitAsync(s_timeout);
        }
    }

    [Fact]
    public void AnUnknownModeNameIsRejectedWithTheKnownNames()
    {
        var error = Assert.Throws<ArgumentException>(() => ExecutionModes.Create("fastest", _placement));
        Assert.Contains("fastest", error.Message, StringComparison.Ordinal);
        Assert.Contains("blocking, busywait, threadpool, interlude", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModeNamesAreCaseInsensitiveAndTheAliasKeepsItsName()
    {
        Assert.True(ExecutionModes.IsKnown("Interlude-Poll"));
        Assert.False(ExecutionModes.IsKnown("interlude-spin"));
        IExecutionMode mode = ExecutionModes.Create("Interlude", _placement);
        try
        {
            Assert.Equal("interlude", mode.Name);
        }
        finally
        {
            await mode.StopAsync().WaitAsync(s_timeout);
        }
    }

    [Fact]
    public async Task TheHandlerResultDependsOnTheRequestIndex()
    {
        ulong first = await _handler.HandleAsync(CompletedOffloadPort.Instance, 0);
        ulong second = await _handler.HandleAsync(CompletedOffloadPort.Instance, 1);
        Assert.NotEqual(first, second);
        Assert.Equal(first, await _handler.HandleAsync(CompletedOffloadPort.Instance, 0));
    }

    private sealed class CompletedOffloadPort : IOffloadPort
    {
        internal static readonly CompletedOffloadPort Instance = new();

        public ValueTask OffloadAsync() => ValueTask.CompletedTask;

        public ValueTask ArriveAsync(TimeSpan wait) => ValueTask.CompletedTask;
    }
}
