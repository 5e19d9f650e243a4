using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Tests;

public sealed class SimulatedAcceleratorServiceTimeTests
{
    [Theory, MemberData(nameof(WaitStrategies.All), MemberType = typeof(WaitStrategies))]
    public async Task AnOffloadWithItsOwnServiceTimeIgnoresTheDevicesDistribution(WaitStrategy strategy)
    {
        // The device's own time is far longer than the guard, so only the operation's zero lets it finish.
        await using TestRig rig = TestRig.Create(strategy, configureDevice: device => device.ServiceTime = ServiceTime.Fixed(TimeSpan.FromSeconds(10)));

        await rig.Loop.RunAsync(async () =>
        {
            for (int i = 0; i < 100; i++)
            {
                await rig.Device.SubmitAsync(TimeSpan.Zero);
            }
        }).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(rig.Faults);
    }

    [Fact]
    public async Task AnOffloadWithItsOwnServiceTimeCompletesOffAnyLoop()
    {
        using SimulatedAccelerator device = TestRig.CreateDevice(o => o.ServiceTime = ServiceTime.Fixed(TimeSpan.FromSeconds(10)));

        await device.SubmitAsync(TimeSpan.Zero).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void ANegativeServiceTimeIsRejected()
    {
        using SimulatedAccelerator device = TestRig.CreateDevice();

        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = device.SubmitAsync(TimeSpan.FromTicks(-1)); });
    }
}
