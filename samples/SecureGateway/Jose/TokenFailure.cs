namespace SecureGateway.Jose;

/// <summary>Why a token was refused; each maps to the <c>reason</c> of the 401 problem details.</summary>
internal enum TokenFailure
{
    /// <summary>Not three base64url segments, or a header or payload that is not the JSON object it must be.</summary>
    Malformed,

    /// <summary>An <c>alg</c> other than ES256 (none, HS256, RS256, ...).</summary>
    UnsupportedAlgorithm,

    /// <summary>A <c>kid</c> the gateway has no key for, or none at all.</summary>
    UnknownKey,

    /// <summary>A signature that is not 64 bytes or does not verify.</summary>
    BadSignature,

    /// <summary>Now is past <c>exp</c> (plus the allowed clock skew).</summary>
    Expired,

    /// <summary>Now is before <c>nbf</c> (minus the allowed clock skew).</summary>
    NotYetValid,

    /// <summary>An <c>iss</c> other than the gateway's.</summary>
    WrongIssuer,
}

/// <summary>A refused token: the failure and a sentence for the problem details' <c>detail</c>.</summary>
internal readonly record struct TokenError(TokenFailure Failure, string Detail)
{
    /// <summary>The reason code clients see: snake_case of <see cref="Failure"/>.</summary>
    public string Reason => Failure switch
    {
        TokenFailure.Malformed => "malformed",
        TokenFailure.UnsupportedAlgorithm => "unsupported_alg",
        TokenFailure.UnknownKey => "unknown_kid",
        TokenFailure.BadSignature => "bad_signature",
        TokenFailure.Expired => "expired",
        TokenFailure.NotYetValid => "not_yet_valid",
        TokenFailure.WrongIssuer => "wrong_issuer",
        _ => "invalid",
    };
}
