using System.Buffers;
using System.Buffers.Text;

namespace SecureGateway.Jose;

/// <summary>
/// Unpadded base64url as JWS uses it (RFC 7515, section 2), decoded strictly: only the 64 characters of the
/// alphabet (no padding, no whitespace, no standard-base64 '+' or '/'), and only canonical text, whose unused
/// trailing bits are zero, so that one byte string has exactly one encoding and a changed character always
/// changes the bytes.
/// </summary>
internal static class Base64UrlStrict
{
    private static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Decodes <paramref name="text"/>; false when it is not canonical unpadded base64url.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (!IsCanonical(text))
        {
            return false;
        }

        byte[] decoded = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (Base64Url.DecodeFromChars(text, decoded, out _, out int written) != OperationStatus.Done)
        {
            return false;
        }

        bytes = written == decoded.Length ? decoded : decoded.AsSpan(0, written).ToArray();
        return true;
    }

    /// <summary>Whether <paramref name="text"/> is canonical unpadded base64url (the empty string is).</summary>
    public static bool IsCanonical(ReadOnlySpan<char> text)
    {
        if (text.ContainsAnyExcept(Alphabet))
        {
            return false;
        }

        return (text.Length % 4) switch
        {
            0 => true,
            1 => false,
            // Two characters carry one byte: the last one's low 4 bits are padding and must be zero.
            2 => (ValueOf(text[^1]) & 0x0F) == 0,
            // Three characters carry two bytes: the last one's low 2 bits are padding and must be zero.
            _ => (ValueOf(text[^1]) & 0x03) == 0,
        };
    }

    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    private static int ValueOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
