using Interlude.PublicSurface.Tests.Infrastructure;
using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.PublicSurface.Tests;

/// <summary>
/// The built-in devices, compiled here from their own source files against the public API alone (see the project
/// file), serve offloads like the library's copies do.
/// </summary>
public sealed class BuiltInDeviceTests
{
    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task TheSimulatedAcceleratorBuiltOnThePublicSeamServesEveryKindOfOffload(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var device = new SimulatedAccelerator(new SimulatedAcceleratorOptions { ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(20)) });

        int result = await loops.RunAsync(async () =>
        {
            await device.SubmitAsync();
            await device.SubmitAsync(TimeSpan.FromMicroseconds(5));
            return await device.SubmitAsync(static x => x * 3, 14);
        }).Guarded();

        Assert.Equal(42, result);
        Assert.Equal(typeof(BuiltInDeviceTests).Assembly, device.GetType().Assembly);
    }

    [Theory]
    [MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task TheCpuAcceleratorBuiltOnThePublicSeamRunsWorkFunctionsAndReportsTheirErrors(WaitStrategy strategy)
    {
        await using LoopGroup loops = TestLoops.Create(strategy);
        using var engine = new CpuAccelerator(new CpuAcceleratorOptions { Threads = 2 });

        int[] results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => loops.RunAsync(() => engine.SubmitAsync(static v => v + 1, i)))).Guarded();
        Assert.Equal(Enumerable.Range(1, 50), results);

        await Assert.ThrowsAsync<FormatException>(() => loops.RunAsync(() => engine.SubmitAsync<string, int>(static s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture), "x")).Guarded());
    }

    [Fact]
    public async Task TheSimulatedAcceleratorsInjectedErrorsReachTheAwaiter()
    {
        await using LoopGroup loops = TestLoops.Create(WaitStrategy.Adaptive);
        using var device = new SimulatedAccelerator(new SimulatedAcceleratorOptions { ErrorRate = 1 });

        await Assert.ThrowsAsync<AcceleratorException>(() => loops.RunAsync(() => device.SubmitAsync()).Guarded());
    }
}
