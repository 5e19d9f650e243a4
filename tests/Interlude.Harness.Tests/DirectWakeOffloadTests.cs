using Interlude.Harness.Wake;
using Xunit;

namespace Interlude.Harness.Tests;

public sealed class DirectWakeOffloadTests : IDisposable
{
    // Generous: a noisy 2-core machine.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly SimulatedAccelerator _device = new(new SimulatedAcceleratorOptions
    {
        ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(50)),
        IdleSpin = TimeSpan.Zero,
        UnsafeInlineCompletions = true,
    });

    public void Dispose() => _device.Dispose();

    [Fact]
    public async Task EachOffloadBlocksUntilTheDeviceIsDoneAndReturnsTheWorksResult()
    {
        int[] results = await Task.Run(() =>
        {
            var offload = new DirectWakeOffload();
            return Enumerable.Range(0, 100).Select(i => offload.Offload(_device, static x => x * 2, i)).ToArray();
        }).WaitAsync(s_timeout);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 2), results);
    }

    [Fact]
    public async Task TheWorksExceptionIsThrownToTheBlockedThreadAndTheNextOffloadStillWaits()
    {
        (Exception? error, int next) = await Task.Run(() =>
        {
            var offload = new DirectWakeOffload();
            Exception? caught = Record.Exception(() => offload.Offload<int, int>(_device, static _ => throw new InvalidOperationException("device work failed"), 0));
            return (caught, offload.Offload(_device, static x => x + 1, 41));
        }).WaitAsync(s_timeout);

        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal(42, next);
    }

    [Fact]
    public async Task ALoopThreadIsRefused()
    {
        await using var loops = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false });

        Exception? error = await loops.RunAsync(() => ValueTask.FromResult(
            Record.Exception(() => new DirectWakeOffload().Offload(_device, static x => x, 1)))).WaitAsync(s_timeout);

        Assert.IsType<InvalidOperationException>(error);
    }
}
