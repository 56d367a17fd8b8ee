package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an ICMP (v4, RFC 792) message header: type, code, checksum and the 4-byte rest
 * of header, which echo messages split into identifier and sequence number. The checksum covers
 * the whole message and has no pseudo-header.
 */
public final class IcmpHeader {
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int REST_OFFSET = 4;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    private MutableDirectBuffer buffer;
    private int offset;

    public IcmpHeader wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public int type() {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public IcmpHeader type(final int type) {
        buffer.putByte(offset + TYPE_OFFSET, (byte) type);
        return this;
    }

    public int code() {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    public IcmpHeader code(final int code) {
        buffer.putByte(offset + CODE_OFFSET, (byte) code);
        return this;
    }

    public int checksum() {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public IcmpHeader checksum(final int checksum) {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short) checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** The 32 bits after the checksum (unused, pointer, MTU, or identifier and sequence). */
    public int restOfHeader() {
        return buffer.getInt(offset + REST_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public IcmpHeader restOfHeader(final int value) {
        buffer.putInt(offset + REST_OFFSET, value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int identifier() {
        return buffer.getShort(offset + IDENTIFIER_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public IcmpHeader identifier(final int identifier) {
        buffer.putShort(offset + IDENTIFIER_OFFSET, (short) identifier, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int sequence() {
        return buffer.getShort(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public IcmpHeader sequence(final int sequence) {
        buffer.putShort(offset + SEQUENCE_OFFSET, (short) sequence, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** The checksum of the {@code messageLength}-byte message, computed as if the field were zero. */
    public int computeChecksum(final int messageLength) {
        return Checksum.finish(Checksum.sum(buffer, offset, messageLength) + (~checksum() & 0xFFFF));
    }

    /** Recomputes and stores the checksum over the {@code messageLength}-byte message. */
    public IcmpHeader updateChecksum(final int messageLength) {
        checksum(0);
        return checksum(Checksum.compute(buffer, offset, messageLength));
    }
}
