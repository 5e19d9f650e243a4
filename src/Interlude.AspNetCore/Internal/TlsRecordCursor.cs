using System.Buffers;
using System.Buffers.Binary;

namespace Interlude.AspNetCore.Internal;

/// <summary>
/// Follows the TLS record headers of a connection's input during its handshake, to say how much of a read
/// belongs to the handshake: everything up to the end of the first application_data record (content type 23)
/// that ends inside the read.
/// </summary>
/// <remarks>
/// Why: SslStream decrypts the records it has buffered without reading, so a request that arrived together with
/// the client's last handshake flight and went into SslStream's buffer would be served on the thread that
/// finished the handshake (an engine thread, or the ThreadPool) instead of on the connection's loop, where the
/// first read after the handshake brings it. TLS 1.2 carries every handshake message in handshake records
/// (type 22), so its first type 23 record is the application's; TLS 1.3 carries its encrypted handshake messages
/// in type 23 records too, which then reach SslStream one record a time. A read that starts with an incomplete
/// record header delivers nothing (the reader waits for the rest of the header), so the cursor always knows where
/// the next header is. Bytes that do not look like TLS records end the cursor's work: everything is delivered,
/// for SslStream to judge.
/// Positions are offsets in the connection's byte stream: <see cref="Consumed"/> moves the start of the unconsumed
/// bytes, <see cref="Deliverable"/> the next header. One read at a time, on whichever thread it is on.
/// </remarks>
internal struct TlsRecordCursor
{
    private const int HeaderLength = 5;
    private const int MaxRecordLength = (1 << 14) + 2048;
    private const byte FirstContentType = 20;
    private const byte ApplicationData = 23;
    private const byte LastContentType = 24;

    // The stream offset of the first unconsumed byte, of the next record header not yet read, and the content
    // type of the record that ends there.
    private long _start;
    private long _nextHeader;
    private byte _type;
    private bool _lost;

    /// <summary>The consumer consumed <paramref name="count"/> more bytes.</summary>
    internal void Consumed(long count) => _start += count;

    /// <summary>
    /// How many bytes at the start of <paramref name="buffer"/> (the unconsumed input) the handshake read
    /// delivers; 0 when the buffer starts with an incomplete record header.
    /// </summary>
    internal long Deliverable(in ReadOnlySequence<byte> buffer)
    {
        long length = buffer.Length;
        long position = _nextHeader - _start;
        if (_lost || position < 0)
        {
            _lost = true;
            return length;
        }

        if (position >= length)
        {
            // The buffer ends inside the record already read.
            return length;
        }

        if (position > 0 && _type == ApplicationData)
        {
            // The rest of an application_data record delivered in part before.
            return position;
        }

        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(position);
        Span<byte> header = stackalloc byte[HeaderLength];
        while (true)
        {
            if (reader.Remaining < HeaderLength)
            {
                // Nothing more, or an incomplete header, which waits for the rest of its bytes.
                return reader.Consumed;
            }

            reader.TryCopyTo(header);
            byte type = header[0];
            int recordLength = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
            if (type is < FirstContentType or > LastContentType || header[1] != 3 || recordLength > MaxRecordLength)
            {
                _lost = true;
                return length;
            }

            _type = type;
            _nextHeader = _start + reader.Consumed + HeaderLength + recordLength;
            if (reader.Remaining < HeaderLength + recordLength)
            {
                return length;
            }

            reader.Advance(HeaderLength + recordLength);
            if (type == ApplicationData)
            {
                return reader.Consumed;
            }
        }
    }
}
