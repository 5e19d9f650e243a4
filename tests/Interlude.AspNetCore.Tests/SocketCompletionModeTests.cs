using Interlude.AspNetCore.Internal;
using Interlude.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Interlude.AspNetCore.Tests;

/// <summary>
/// InlineSocketCompletions' decision, on a stand-in environment and engine: the real setting is process-wide and
/// one-shot, so nothing here turns it on (tests/Interlude.Fortunes.Tests does, in a child process).
/// </summary>
public sealed class SocketCompletionModeTests
{
    [Fact]
    public void An_unset_variable_is_set_before_the_engine_starts_and_removed_once_it_has_read_it()
    {
        var world = new StandInProcess(variable: null, engineStarted: false);

        SocketCompletionOutcome outcome = world.Decide();

        Assert.Equal(SocketCompletionOutcome.Enabled, outcome);
        Assert.True(SocketCompletionMode.IsInline(outcome));
        Assert.Equal("1", world.ReadByEngine);
        Assert.Null(world.Variable);
        Assert.Equal(["1", null], world.Writes);
    }

    [Fact]
    public void A_variable_already_1_is_in_effect_and_left_untouched()
    {
        var world = new StandInProcess(variable: "1", engineStarted: false);

        SocketCompletionOutcome outcome = world.Decide();

        Assert.Equal(SocketCompletionOutcome.AlreadyEnabled, outcome);
        Assert.True(SocketCompletionMode.IsInline(outcome));
        Assert.Equal("1", world.Variable);
        Assert.Empty(world.Writes);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("true")]
    public void Another_value_of_the_variable_is_respected_and_not_in_effect(string value)
    {
        var world = new StandInProcess(variable: value, engineStarted: false);

        SocketCompletionOutcome outcome = world.Decide();

        Assert.Equal(SocketCompletionOutcome.RespectedEnvironment, outcome);
        Assert.False(SocketCompletionMode.IsInline(outcome));
        Assert.Equal(value, world.Variable);
        Assert.Empty(world.Writes);
        Assert.Equal(0, world.Probes);
    }

    [Fact]
    public void An_engine_that_started_without_it_is_reported_and_the_variable_removed_again()
    {
        var world = new StandInProcess(variable: null, engineStarted: true);

        SocketCompletionOutcome outcome = world.Decide();

        Assert.Equal(SocketCompletionOutcome.EngineAlreadyStarted, outcome);
        Assert.False(SocketCompletionMode.IsInline(outcome));
        Assert.Null(world.Variable);
        Assert.Equal(1, world.Probes);
    }

    [Fact]
    public void A_runtime_without_the_engine_field_keeps_the_variable_for_its_engine_and_is_not_counted_inline()
    {
        var world = new StandInProcess(variable: null, engineStarted: false) { HasField = false };

        SocketCompletionOutcome outcome = world.Decide();

        Assert.Equal(SocketCompletionOutcome.EngineNotFound, outcome);
        Assert.False(SocketCompletionMode.IsInline(outcome));
        Assert.Equal("1", world.Variable);
    }

    [Fact]
    public void Only_an_inline_outcome_logs_information_and_every_other_a_warning_with_the_fix()
    {
        Assert.Equal(LogLevel.Information, Logged(SocketCompletionOutcome.Enabled, null).Level);
        Assert.Equal(LogLevel.Information, Logged(SocketCompletionOutcome.AlreadyEnabled, "1").Level);

        (LogLevel level, string message) = Logged(SocketCompletionOutcome.EngineAlreadyStarted, null);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("set DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 in the environment before the process starts", message, StringComparison.Ordinal);

        (level, message) = Logged(SocketCompletionOutcome.RespectedEnvironment, "0");
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0", message, StringComparison.Ordinal);

        Assert.Equal(LogLevel.Warning, Logged(SocketCompletionOutcome.EngineNotFound, null).Level);
        using var none = new CapturedLog("test");
        SocketCompletionMode.Log(none.CreateLogger("test"), SocketCompletionOutcome.NotRequested, null);
        Assert.Empty(none.Entries);
    }

    [Fact]
    public void This_runtime_has_the_engine_field_the_transport_reads()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Starts this process's engine if it has not started (it would on any socket use) without changing its mode.
        Assert.Equal(Environment.GetEnvironmentVariable(SocketCompletionMode.VariableName) == "1", SocketCompletionMode.ProbeEngine());
    }

    [Fact]
    public void A_factory_with_the_option_off_leaves_the_process_alone()
    {
        string? before = Environment.GetEnvironmentVariable(SocketCompletionMode.VariableName);
        using var factory = new InterludeTransportFactory(Options.Create(new InterludeTransportOptions()), NullLoggerFactory.Instance);

        Assert.Equal(SocketCompletionOutcome.NotRequested, factory.SocketCompletions);
        Assert.Equal(SocketCompletionOutcome.NotRequested, SocketCompletionMode.Applied);
        Assert.Equal(before, Environment.GetEnvironmentVariable(SocketCompletionMode.VariableName));
    }

    private static (LogLevel Level, string Message) Logged(SocketCompletionOutcome outcome, string? variable)
    {
        using var log = new CapturedLog("test");
        SocketCompletionMode.Log(log.CreateLogger("test"), outcome, variable);
        (LogLevel level, string _, string message) = Assert.Single(log.Entries);
        return (level, message);
    }

    /// <summary>An environment variable and a socket engine that reads it once, when it starts, as .NET's does.</summary>
    private sealed class StandInProcess(string? variable, bool engineStarted)
    {
        private bool _engineStarted = engineStarted;
        private bool _engineInline;

        public string? Variable { get; private set; } = variable;

        public List<string?> Writes { get; } = [];

        public string? ReadByEngine { get; private set; }

        public int Probes { get; private set; }

        public bool HasField { get; init; } = true;

        public SocketCompletionOutcome Decide() => SocketCompletionMode.Decide(Variable, Set, Probe);

        private void Set(string? value)
        {
            Writes.Add(value);
            Variable = value;
        }

        private bool? Probe()
        {
            Probes++;
            if (!_engineStarted)
            {
                _engineStarted = true;
                ReadByEngine = Variable;
                _engineInline = Variable == "1";
            }

            return HasField ? _engineInline : null;
        }
    }
}
