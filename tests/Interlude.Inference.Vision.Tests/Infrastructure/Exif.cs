namespace Interlude.Inference.Vision.Tests.Infrastructure;

/// <summary>Adds an EXIF orientation to a JPEG, as a camera held sideways writes it.</summary>
internal static class Exif
{
    /// <summary>The JPEG with an APP1 EXIF segment holding only the orientation tag (1 to 8) inserted after its start marker.</summary>
    public static byte[] WithOrientation(byte[] jpeg, ushort orientation)
    {
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("Not a JPEG.", nameof(jpeg));
        }

        byte[] segment =
        [
            0xFF, 0xE1, 0x00, 0x22,                         // APP1, length 34 (counting the length itself)
            (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A,               // big-endian TIFF header
            0x00, 0x00, 0x00, 0x08,                         // first IFD at offset 8
            0x00, 0x01,                                     // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, // Orientation, SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,                         // no next IFD
        ];
        byte[] result = new byte[jpeg.Length + segment.Length];
        jpeg.AsSpan(0, 2).CopyTo(result);
        segment.CopyTo(result.AsSpan(2));
        jpeg.AsSpan(2).CopyTo(result.AsSpan(2 + segment.Length));
        return result;
    }
}
