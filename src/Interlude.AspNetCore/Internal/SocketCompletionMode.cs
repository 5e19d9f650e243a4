using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// Applies <see cref="InterludeTransportOptions.InlineSocketCompletions"/>: makes .NET's socket engine
/// (System.Net.Sockets, the sockets of database clients and HttpClient) run completions inline on its own threads
/// instead of queuing them to the ThreadPool.
/// </summary>
/// <remarks>
/// .NET reads <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> once per process, in the static initializer of the
/// internal <c>System.Net.Sockets.SocketAsyncEngine</c>, which runs on the first asynchronous operation of any
/// System.Net.Sockets socket. Interlude's own sockets do not use that engine, so when the server starts it has
/// usually not started yet: the transport sets the variable, then reads the engine's
/// <c>InlineSocketCompletionsEnabled</c> field by reflection, which runs the initializer (the engine's threads
/// start then) and tells whether the setting took. The variable is removed again afterwards, so that processes
/// the application starts do not inherit it, except when the field cannot be found (the runtime may still read it
/// later). A value the environment already gives is never overridden.
/// </remarks>
internal static class SocketCompletionMode
{
    /// <summary>The environment variable .NET's socket engine reads.</summary>
    internal const string VariableName = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private const string EngineTypeName = "System.Net.Sockets.SocketAsyncEngine, System.Net.Sockets";
    private const string EngineFieldName = "InlineSocketCompletionsEnabled";

    private static readonly object s_gate = new();

    // Written under s_gate by Apply (by the thread that creates a transport factory); read by tests after it.
    private static SocketCompletionOutcome s_applied = SocketCompletionOutcome.NotRequested;

    /// <summary>What the last <see cref="Apply"/> in this process found; <see cref="SocketCompletionOutcome.NotRequested"/> before any.</summary>
    internal static SocketCompletionOutcome Applied
    {
        get
        {
            lock (s_gate)
            {
                return s_applied;
            }
        }
    }

    /// <summary>Whether <paramref name="outcome"/> means the engine runs completions inline.</summary>
    internal static bool IsInline(SocketCompletionOutcome outcome)
        => outcome is SocketCompletionOutcome.Enabled or SocketCompletionOutcome.AlreadyEnabled;

    /// <summary>
    /// The decision, on inputs only: <paramref name="current"/> is the variable's value now (null when unset),
    /// <paramref name="setVariable"/> sets it (null removes it), and <paramref name="probe"/> starts the engine if
    /// it has not started and says whether it runs completions inline (null: the engine's field is not there).
    /// </summary>
    internal static SocketCompletionOutcome Decide(string? current, Action<string?> setVariable, Func<bool?> probe)
    {
        ArgumentNullException.ThrowIfNull(setVariable);
        ArgumentNullException.ThrowIfNull(probe);
        if (current == "1")
        {
            return probe() switch
            {
                true => SocketCompletionOutcome.AlreadyEnabled,
                false => SocketCompletionOutcome.EngineAlreadyStarted,
                null => SocketCompletionOutcome.EngineNotFound,
            };
        }

        if (!string.IsNullOrEmpty(current))
        {
            return SocketCompletionOutcome.RespectedEnvironment;
        }

        setVariable("1");
        bool? inline = probe();
        if (inline is null)
        {
            // Nothing confirms the engine has read it: leave it for the runtime to find when its engine starts.
            return SocketCompletionOutcome.EngineNotFound;
        }

        // The engine has read the variable (or had long before): it has no further effect on this process.
        setVariable(null);
        return inline.Value ? SocketCompletionOutcome.Enabled : SocketCompletionOutcome.EngineAlreadyStarted;
    }

    /// <summary>
    /// Applies the option to this process and logs what it found: one line, information or warning. Once
    /// completions are inline, a later call (another host's transport) finds them so and changes nothing.
    /// </summary>
    internal static SocketCompletionOutcome Apply(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        SocketCompletionOutcome outcome;
        string? current;
        lock (s_gate)
        {
            current = Environment.GetEnvironmentVariable(VariableName);
            if (IsInline(s_applied))
            {
                // An earlier transport of this process made completions inline, and they stay so: nothing to set again.
                outcome = s_applied;
            }
            else
            {
                outcome = OperatingSystem.IsLinux()
                    ? Decide(current, static value => Environment.SetEnvironmentVariable(VariableName, value), ProbeEngine)
                    : SocketCompletionOutcome.Unsupported;
                s_applied = outcome;
            }
        }

        Log(logger, outcome, current);
        return outcome;
    }

    /// <summary>
    /// Whether .NET's socket engine runs completions inline; starts the engine (its static initializer) if it has
    /// not started. Null when this runtime has no such field.
    /// </summary>
    /// <remarks>
    /// The names are constants, which the trim analyzer follows; the dependency keeps the field in a trimmed app.
    /// </remarks>
    [DynamicDependency(DynamicallyAccessedMemberTypes.NonPublicFields, "System.Net.Sockets.SocketAsyncEngine", "System.Net.Sockets")]
    internal static bool? ProbeEngine()
    {
        Type? engine = Type.GetType(EngineTypeName, throwOnError: false);
        FieldInfo? field = engine?.GetField(EngineFieldName, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static);
        return field?.FieldType == typeof(bool) ? (bool)field.GetValue(null)! : null;
    }

    /// <summary>Logs <paramref name="outcome"/>: information when completions are inline, a warning with the cause and the fix otherwise, nothing when not requested.</summary>
    internal static void Log(ILogger logger, SocketCompletionOutcome outcome, string? current)
    {
        const string Fix = "to have them inline, set " + VariableName + "=1 in the environment before the process starts";
        switch (outcome)
        {
            case SocketCompletionOutcome.Enabled:
                InterludeTransportLog.SocketCompletionsInline(logger, "the transport set " + VariableName + "=1 before the engine started");
                break;
            case SocketCompletionOutcome.AlreadyEnabled:
                InterludeTransportLog.SocketCompletionsInline(logger, "the environment sets " + VariableName + "=1");
                break;
            case SocketCompletionOutcome.RespectedEnvironment:
                InterludeTransportLog.SocketCompletionsNotInline(
                    logger, $"the environment sets {VariableName}={current}, which the transport does not override", "remove it or set it to 1 to have them inline");
                break;
            case SocketCompletionOutcome.EngineAlreadyStarted:
                InterludeTransportLog.SocketCompletionsNotInline(
                    logger, "a System.Net.Sockets socket was used before the server started, and .NET's socket engine reads the setting only when it starts", Fix);
                break;
            case SocketCompletionOutcome.EngineNotFound:
                InterludeTransportLog.SocketCompletionsNotInline(
                    logger, "this runtime has no System.Net.Sockets.SocketAsyncEngine." + EngineFieldName + " to confirm the setting with", Fix);
                break;
            case SocketCompletionOutcome.Unsupported:
                InterludeTransportLog.SocketCompletionsNotInline(logger, "the option applies on Linux only, where the transport serves", "elsewhere it does nothing");
                break;
            default:
                break;
        }
    }
}
