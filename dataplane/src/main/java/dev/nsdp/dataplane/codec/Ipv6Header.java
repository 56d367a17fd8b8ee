package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over the fixed 40-byte IPv6 header (RFC 8200). Addresses are read and written as two
 * big-endian longs each ({@code High} = bytes 0..7, {@code Low} = bytes 8..15), the form tables key
 * on. Extension headers are {@link Ipv6ExtensionHeader}s; the {@link PacketParser} walks them.
 */
public final class Ipv6Header {
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_OFFSET = 8;
    public static final int DESTINATION_OFFSET = 24;
    public static final int HEADER_LENGTH = 40;

    private MutableDirectBuffer buffer;
    private int offset;

    public Ipv6Header wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    private int firstWord() {
        return buffer.getInt(offset + VERSION_CLASS_FLOW_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    private void firstWord(final int word) {
        buffer.putInt(offset + VERSION_CLASS_FLOW_OFFSET, word, ByteOrder.BIG_ENDIAN);
    }

    public int version() {
        return firstWord() >>> 28;
    }

    /** Writes version 6 with traffic class and flow label zero; set those afterwards if needed. */
    public Ipv6Header initialise() {
        firstWord(0x6000_0000);
        return this;
    }

    /** The raw first 32-bit word: version, traffic class, flow label (for malformed headers in tests). */
    public Ipv6Header versionClassFlow(final int word) {
        firstWord(word);
        return this;
    }

    public int trafficClass() {
        return (firstWord() >>> 20) & 0xFF;
    }

    public Ipv6Header trafficClass(final int trafficClass) {
        firstWord((firstWord() & 0xF00F_FFFF) | ((trafficClass & 0xFF) << 20));
        return this;
    }

    public int flowLabel() {
        return firstWord() & 0x000F_FFFF;
    }

    public Ipv6Header flowLabel(final int flowLabel) {
        firstWord((firstWord() & 0xFFF0_0000) | (flowLabel & 0x000F_FFFF));
        return this;
    }

    /** Bytes after the fixed header, extension headers included. */
    public int payloadLength() {
        return buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv6Header payloadLength(final int length) {
        buffer.putShort(offset + PAYLOAD_LENGTH_OFFSET, (short) length, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int nextHeader() {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    public Ipv6Header nextHeader(final int nextHeader) {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte) nextHeader);
        return this;
    }

    public int hopLimit() {
        return buffer.getByte(offset + HOP_LIMIT_OFFSET) & 0xFF;
    }

    public Ipv6Header hopLimit(final int hopLimit) {
        buffer.putByte(offset + HOP_LIMIT_OFFSET, (byte) hopLimit);
        return this;
    }

    public long sourceHigh() {
        return buffer.getLong(offset + SOURCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public long sourceLow() {
        return buffer.getLong(offset + SOURCE_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    public Ipv6Header source(final long high, final long low) {
        buffer.putLong(offset + SOURCE_OFFSET, high, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + SOURCE_OFFSET + 8, low, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public long destinationHigh() {
        return buffer.getLong(offset + DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public long destinationLow() {
        return buffer.getLong(offset + DESTINATION_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    public Ipv6Header destination(final long high, final long low) {
        buffer.putLong(offset + DESTINATION_OFFSET, high, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + DESTINATION_OFFSET + 8, low, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Buffer offset of the source address, for {@link Checksum#ipv6L4}. */
    public int sourceOffset() {
        return offset + SOURCE_OFFSET;
    }

    /** Buffer offset of the destination address, for {@link Checksum#ipv6L4}. */
    public int destinationOffset() {
        return offset + DESTINATION_OFFSET;
    }

    /** Offset (in the buffer) of the first byte after the fixed header (an extension header or the upper layer). */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /**
     * The upper-layer checksum (TCP, UDP, ICMPv6) for {@code l4Length} bytes at {@code l4Offset} with
     * this header's addresses; the checksum field must be zero. UDP callers then apply
     * {@link Checksum#udpTransmitted}.
     */
    public int upperLayerChecksum(final int protocol, final int l4Offset, final int l4Length) {
        return Checksum.ipv6L4(buffer, l4Offset, l4Length, sourceOffset(), destinationOffset(), protocol);
    }
}
