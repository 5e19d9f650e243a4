namespace Interlude.AspNetCore.Internal;

/// <summary>
/// What <see cref="InterludeTransportOptions.InlineSocketCompletions"/> found and did to the process's socket
/// completions (see <see cref="SocketCompletionMode"/>).
/// </summary>
internal enum SocketCompletionOutcome
{
    /// <summary>The option is off: nothing was looked at or changed.</summary>
    NotRequested,

    /// <summary>The transport set the variable before .NET's socket engine started, and the engine runs completions inline.</summary>
    Enabled,

    /// <summary>The environment already said <c>1</c>, and the engine runs completions inline.</summary>
    AlreadyEnabled,

    /// <summary>The environment gives the variable another value, which the transport leaves as it is: completions are not inline.</summary>
    RespectedEnvironment,

    /// <summary>The engine had started (a socket was used) before the transport could set the variable: completions are not inline.</summary>
    EngineAlreadyStarted,

    /// <summary>This runtime has no engine field to confirm the setting with: whether completions are inline is unknown.</summary>
    EngineNotFound,

    /// <summary>Not Linux, where the transport does not serve: nothing was changed.</summary>
    Unsupported,
}
