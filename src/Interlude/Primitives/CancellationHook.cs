namespace Interlude.Primitives;

/// <summary>
/// A pooled operation's cancellation registration, with the rule every pooled operation must follow: if the
/// callback has run or may still be running when the operation completes, the operation must never be reused,
/// because that late callback could otherwise act on a later operation in the same object.
/// </summary>
internal struct CancellationHook
{
    private CancellationTokenRegistration _registration;
    private bool _callbackMayRun;

    /// <summary>The token registered, kept after <see cref="Release"/> for the cancellation's exception.</summary>
    internal CancellationToken Token { get; private set; }

    /// <summary>False once a callback may have run or may still run: the owner must then not be reused.</summary>
    internal readonly bool AllowsReuse => !_callbackMayRun;

    internal void Register(CancellationToken token, Action<object?> callback, object state)
    {
        if (token.CanBeCanceled)
        {
            Token = token;
            _registration = token.UnsafeRegister(callback, state);
        }
    }

    /// <summary>Completion: stop listening. Idempotent.</summary>
    internal void Release()
    {
        if (Token.CanBeCanceled && _registration != default && !_registration.Unregister())
        {
            _callbackMayRun = true;
        }

        _registration = default;
    }
}
