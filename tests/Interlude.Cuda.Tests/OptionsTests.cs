using Xunit;

namespace Interlude.Cuda.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_use_the_mapped_flag()
    {
        var options = new CudaDeviceOptions();
        options.Validate();
        Assert.Equal(CudaCompletionMode.MappedFlag, options.Completion);
        Assert.Equal(CudaScheduling.Auto, options.Scheduling);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(131_072)]
    [InlineData(-8)]
    public void MaxInFlightPerLoop_must_be_a_power_of_two_up_to_65536(int value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CudaDeviceOptions { MaxInFlightPerLoop = value }.Validate());
        Assert.Equal(nameof(CudaDeviceOptions.MaxInFlightPerLoop), error.ParamName);
    }

    [Fact]
    public void A_negative_device_ordinal_is_refused() =>
        Assert.Equal("DeviceOrdinal", Assert.Throws<ArgumentOutOfRangeException>(() => new CudaDeviceOptions { DeviceOrdinal = -1 }.Validate()).ParamName);

    [Fact]
    public void An_undefined_completion_mode_is_refused() =>
        Assert.Equal("Completion", Assert.Throws<ArgumentOutOfRangeException>(() => new CudaDeviceOptions { Completion = (CudaCompletionMode)42 }.Validate()).ParamName);

    [Fact]
    public void An_undefined_scheduling_flag_is_refused() =>
        Assert.Equal("Scheduling", Assert.Throws<ArgumentOutOfRangeException>(() => new CudaDeviceOptions { Scheduling = (CudaScheduling)3 }.Validate()).ParamName);

    [Fact]
    public void The_scheduling_flags_are_the_driver_s_own_values()
    {
        Assert.Equal(1, (int)CudaScheduling.Spin);
        Assert.Equal(2, (int)CudaScheduling.Yield);
        Assert.Equal(4, (int)CudaScheduling.BlockingSync);
    }

    [Fact]
    public void Bad_options_are_refused_before_the_driver_is_touched()
    {
        // Holds on a machine without a driver too: validation comes first.
        Assert.Throws<ArgumentOutOfRangeException>(() => new CudaDevice(new CudaDeviceOptions { MaxInFlightPerLoop = 3 }));
    }
}
