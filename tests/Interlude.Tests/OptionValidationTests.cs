using Xunit;

namespace Interlude.Tests;

public sealed class OptionValidationTests
{
    public static TheoryData<string, Action<LoopGroupOptions>, string> InvalidLoopGroupOptions => new()
    {
        { "LoopCount", o => o.LoopCount = 0, "LoopCount must be between 1 and 1024" },
        { "LoopCount", o => o.LoopCount = 1025, "LoopCount must be between 1 and 1024" },
        { "Cores", o => o.Cores = [], "must name at least one core" },
        { "Cores", o => o.Cores = [0, -1], "non-negative" },
        { "StallThreshold", o => o.StallThreshold = TimeSpan.FromMilliseconds(-1), "StallThreshold must be non-negative" },
        { "InitialRunQueueCapacity", o => o.InitialRunQueueCapacity = 0, "positive" },
        { "TimerSlack", o => o.TimerSlack = TimeSpan.Zero, "TimerSlack must be positive" },
        { "TimerSlack", o => o.TimerSlack = TimeSpan.FromTicks(-1), "TimerSlack must be positive" },
        { "Adaptive", o => o.Adaptive = null!, "Adaptive" },
        { "WaitStrategy", o => o.WaitStrategy = (WaitStrategy)42, "Unknown wait strategy" },
    };

    public static TheoryData<Action<AdaptiveWaitOptions>, string> InvalidAdaptiveOptions => new()
    {
        { o => o.IdleSpin = TimeSpan.FromTicks(-1), "IdleSpin >= 0" },
        { o => o.MinSpin = TimeSpan.FromTicks(-1), "0 <= MinSpin" },
        { o => o.MaxSpin = TimeSpan.FromTicks(o.MinSpin.Ticks - 1), "MinSpin <= MaxSpin" },
        { o => o.DeviationFactor = -1, "DeviationFactor must be >= 0" },
        { o => o.DeviationFactor = double.NaN, "DeviationFactor must be >= 0" },
        { o => o.SpinBudget = -0.1, "SpinBudget must be a share of the core from 0 to 1" },
        { o => o.SpinBudget = 1.5, "SpinBudget must be a share of the core from 0 to 1" },
        { o => o.SpinBudget = double.NaN, "SpinBudget must be a share of the core from 0 to 1" },
        { o => o.SpinBudgetWindow = TimeSpan.Zero, "SpinBudgetWindow must be positive" },
    };

    public static TheoryData<string, Action<SimulatedAcceleratorOptions>, string> InvalidSimulatedOptions => new()
    {
        { "Threads", o => o.Threads = 0, "Threads must be between 1 and 64" },
        { "Lanes", o => (o.Threads, o.Lanes) = (4, 3), "Lanes must be at least Threads" },
        { "ErrorRate", o => o.ErrorRate = 1.5, "ErrorRate must be between 0 and 1" },
        { "ErrorRate", o => o.ErrorRate = double.NaN, "ErrorRate must be between 0 and 1" },
        { "IdleSpin", o => o.IdleSpin = TimeSpan.FromTicks(-5), "IdleSpin must be non-negative or infinite" },
        { "Cores", o => o.Cores = [], "non-negative core numbers" },
        { "RingCapacity", o => o.RingCapacity = 3, "RingCapacity must be a power of two" },
        { "RingCapacity", o => o.RingCapacity = 1, "RingCapacity must be a power of two" },
        { "ServiceTime", o => o.ServiceTime = null!, "ServiceTime" },
    };

    public static TheoryData<string, Action<CpuAcceleratorOptions>, string> InvalidCpuOptions => new()
    {
        { "Threads", o => o.Threads = 0, "Threads must be between 1 and 256" },
        { "IdleSpin", o => o.IdleSpin = TimeSpan.FromTicks(-1), "IdleSpin must be non-negative or infinite" },
        { "Cores", o => o.Cores = [-2], "non-negative core numbers" },
        { "RingCapacity", o => o.RingCapacity = 6, "RingCapacity must be a power of two" },
    };

    [Theory, MemberData(nameof(InvalidLoopGroupOptions))]
    public void InvalidLoopGroupOptionsAreRejectedByName(string parameter, Action<LoopGroupOptions> spoil, string message)
    {
        var options = new LoopGroupOptions { LoopCount = 1, PinThreads = false };
        spoil(options);

        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new LoopGroup(options));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Theory, MemberData(nameof(InvalidAdaptiveOptions))]
    public void InvalidAdaptiveWaitOptionsAreRejected(Action<AdaptiveWaitOptions> spoil, string message)
    {
        var options = new LoopGroupOptions { LoopCount = 1, PinThreads = false, WaitStrategy = WaitStrategy.Adaptive };
        spoil(options.Adaptive);

        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new LoopGroup(options));

        Assert.Contains(message, error.Message);
    }

    [Theory, MemberData(nameof(InvalidSimulatedOptions))]
    public void InvalidSimulatedAcceleratorOptionsAreRejectedByName(string parameter, Action<SimulatedAcceleratorOptions> spoil, string message)
    {
        var options = new SimulatedAcceleratorOptions();
        spoil(options);

        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new SimulatedAccelerator(options));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Theory, MemberData(nameof(InvalidCpuOptions))]
    public void InvalidCpuAcceleratorOptionsAreRejectedByName(string parameter, Action<CpuAcceleratorOptions> spoil, string message)
    {
        var options = new CpuAcceleratorOptions();
        spoil(options);

        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new CpuAccelerator(options));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void InvalidServiceTimesAreRejected()
    {
        Assert.Equal("time", Assert.Throws<ArgumentOutOfRangeException>(() => ServiceTime.Fixed(TimeSpan.FromTicks(-1))).ParamName);
        Assert.Equal("time", Assert.Throws<ArgumentOutOfRangeException>(() => ServiceTime.Exponential(TimeSpan.FromTicks(-1))).ParamName);
        Assert.Equal("sigma", Assert.Throws<ArgumentOutOfRangeException>(() => ServiceTime.LogNormal(TimeSpan.FromMicroseconds(1), -0.1)).ParamName);
        Assert.Equal("sigma", Assert.Throws<ArgumentOutOfRangeException>(() => ServiceTime.LogNormal(TimeSpan.FromMicroseconds(1), double.PositiveInfinity)).ParamName);
    }

    [Fact]
    public async Task InvalidArgumentsToALoopGroupAreRejected()
    {
        await using var group = new LoopGroup(new LoopGroupOptions { LoopCount = 1, PinThreads = false, StallThreshold = TimeSpan.Zero });

        Assert.Equal("drainTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => { _ = group.StopAsync(TimeSpan.FromSeconds(-1)); }).ParamName);
        Assert.Equal("delay", Assert.Throws<ArgumentOutOfRangeException>(() => { _ = group[0].Delay(TimeSpan.FromSeconds(-1)); }).ParamName);
        Assert.Equal("coroutine", Assert.Throws<ArgumentNullException>(() => group.Spawn(null!)).ParamName);
        Assert.Equal("coroutine", Assert.Throws<ArgumentNullException>(() => { _ = group[0].RunAsync(null!); }).ParamName);
        Assert.Equal("poller", Assert.Throws<ArgumentNullException>(() => group[0].AddPoller(null!)).ParamName);
    }

    [Fact]
    public void ANullWorkFunctionIsRejected()
    {
        using var device = new SimulatedAccelerator(new SimulatedAcceleratorOptions { IdleSpin = TimeSpan.Zero });

        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => { _ = device.SubmitAsync<int, int>(null!, 0); }).ParamName);
    }
}
