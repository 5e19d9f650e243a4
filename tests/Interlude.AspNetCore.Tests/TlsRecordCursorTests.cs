using System.Buffers;
using Interlude.AspNetCore.Internal;
using Xunit;

namespace Interlude.AspNetCore.Tests;

/// <summary>How much of a handshake read is the handshake's: never an application record after the first one.</summary>
public sealed class TlsRecordCursorTests
{
    private const byte ChangeCipherSpec = 20;
    private const byte Handshake = 22;
    private const byte ApplicationData = 23;

    [Fact]
    public void Tls12HandshakeRecordsAreDeliveredTogetherAndTheApplicationsRecordIsHeldBack()
    {
        var cursor = default(TlsRecordCursor);
        byte[] flight = [.. Record(Handshake, 70), .. Record(ChangeCipherSpec, 1), .. Record(Handshake, 40)];
        byte[] input = [.. flight, .. Record(ApplicationData, 50), .. Record(ApplicationData, 30)];

        Assert.Equal(flight.Length + 55, cursor.Deliverable(new ReadOnlySequence<byte>(input)));
    }

    [Fact]
    public void Tls13EncryptedHandshakeRecordsGoOneAtATime()
    {
        var cursor = default(TlsRecordCursor);
        byte[] finished = [.. Record(ChangeCipherSpec, 1), .. Record(ApplicationData, 69)];
        byte[] input = [.. finished, .. Record(ApplicationData, 61)];

        Assert.Equal(finished.Length, cursor.Deliverable(new ReadOnlySequence<byte>(input)));
        cursor.Consumed(finished.Length);
        Assert.Equal(66, cursor.Deliverable(new ReadOnlySequence<byte>(input.AsMemory(finished.Length))));
    }

    [Fact]
    public void ARecordReadInPartsIsFollowedAcrossReads()
    {
        var cursor = default(TlsRecordCursor);
        byte[] input = [.. Record(Handshake, 300), .. Record(ApplicationData, 20), .. Record(ApplicationData, 20)];

        // The first read ends inside the handshake record; the consumer takes 100 bytes of it.
        Assert.Equal(100, cursor.Deliverable(new ReadOnlySequence<byte>(input, 0, 100)));
        cursor.Consumed(100);

        // The next starts inside it: the rest of it and the first application record, not the second.
        Assert.Equal(305 - 100 + 25, cursor.Deliverable(new ReadOnlySequence<byte>(input, 100, input.Length - 100)));
        cursor.Consumed(10);

        // A consumer that took less comes back for the rest, up to the same end.
        Assert.Equal(305 - 110 + 25, cursor.Deliverable(new ReadOnlySequence<byte>(input, 110, input.Length - 110)));
    }

    [Fact]
    public void AnApplicationRecordDeliveredInPartEndsWhereItEnds()
    {
        var cursor = default(TlsRecordCursor);
        byte[] input = [.. Record(ApplicationData, 100), .. Record(ApplicationData, 10)];

        Assert.Equal(50, cursor.Deliverable(new ReadOnlySequence<byte>(input, 0, 50)));
        cursor.Consumed(50);
        Assert.Equal(55, cursor.Deliverable(new ReadOnlySequence<byte>(input, 50, input.Length - 50)));
    }

    [Fact]
    public void AnIncompleteHeaderWaitsAndWhatPrecedesItGoes()
    {
        var cursor = default(TlsRecordCursor);
        byte[] input = [.. Record(Handshake, 10), .. Record(Handshake, 10)];

        Assert.Equal(0, cursor.Deliverable(new ReadOnlySequence<byte>(input, 0, 3)));
        Assert.Equal(15, cursor.Deliverable(new ReadOnlySequence<byte>(input, 0, 18)));
        cursor.Consumed(15);
        Assert.Equal(15, cursor.Deliverable(new ReadOnlySequence<byte>(input, 15, 15)));
    }

    [Fact]
    public void BytesThatAreNotTlsRecordsAreLeftWholeForSslStreamToJudge()
    {
        var cursor = default(TlsRecordCursor);
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray();

        Assert.Equal(http.Length, cursor.Deliverable(new ReadOnlySequence<byte>(http)));
        cursor.Consumed(4);
        byte[] after = [.. Record(Handshake, 10), .. Record(ApplicationData, 10), .. Record(ApplicationData, 10)];
        Assert.Equal(after.Length, cursor.Deliverable(new ReadOnlySequence<byte>(after)));
    }

    [Fact]
    public void ASequenceOfSegmentsIsReadAsOne()
    {
        var cursor = default(TlsRecordCursor);
        byte[] input = [.. Record(Handshake, 20), .. Record(ApplicationData, 20), .. Record(ApplicationData, 20)];
        var first = new Segment(input.AsMemory(0, 3));
        Segment last = first.Append(input.AsMemory(3, 24)).Append(input.AsMemory(27));

        Assert.Equal(50, cursor.Deliverable(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)));
    }

    private static byte[] Record(byte type, int length)
    {
        var record = new byte[5 + length];
        record[0] = type;
        record[1] = 3;
        record[2] = 3;
        record[3] = (byte)(length >> 8);
        record[4] = (byte)length;
        return record;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
