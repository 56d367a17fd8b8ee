package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an ICMPv6 (RFC 4443) message header: type, code, checksum, then a 4-byte
 * message-specific word (identifier and sequence for echo; reserved or flags for NDP). The checksum
 * covers the IPv6 pseudo-header, so computing it needs the enclosing {@link Ipv6Header}.
 */
public final class Icmpv6Header {
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int REST_OFFSET = 4;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    /** Type, code, checksum and the 4-byte message word: the minimum every ICMPv6 message carries (Linux's struct icmp6hdr). */
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;

    private MutableDirectBuffer buffer;
    private int offset;

    public Icmpv6Header wrap(final MutableDirectBuffer buffer, final int offset) {
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

    public Icmpv6Header type(final int type) {
        buffer.putByte(offset + TYPE_OFFSET, (byte) type);
        return this;
    }

    public int code() {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    public Icmpv6Header code(final int code) {
        buffer.putByte(offset + CODE_OFFSET, (byte) code);
        return this;
    }

    public int checksum() {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv6Header checksum(final int checksum) {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short) checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int restOfHeader() {
        return buffer.getInt(offset + REST_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Icmpv6Header restOfHeader(final int value) {
        buffer.putInt(offset + REST_OFFSET, value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int identifier() {
        return buffer.getShort(offset + IDENTIFIER_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv6Header identifier(final int identifier) {
        buffer.putShort(offset + IDENTIFIER_OFFSET, (short) identifier, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int sequence() {
        return buffer.getShort(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv6Header sequence(final int sequence) {
        buffer.putShort(offset + SEQUENCE_OFFSET, (short) sequence, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Recomputes and stores the checksum of the {@code messageLength}-byte message carried in {@code ip}. */
    public Icmpv6Header updateChecksum(final Ipv6Header ip, final int messageLength) {
        checksum(0);
        return checksum(ip.upperLayerChecksum(IpProtocol.ICMPV6, offset, messageLength));
    }
}
