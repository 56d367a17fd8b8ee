package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an Ethernet II header: destination MAC, source MAC, EtherType (or, in a tagged
 * frame, the outer tag's TPID). Wrapping allocates nothing; accessors do not check lengths: wrap
 * only ranges a {@link PacketParser} accepted, or check {@link #HEADER_LENGTH} first.
 */
public final class EthernetHeader {
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;

    private MutableDirectBuffer buffer;
    private int offset;
    private int length;

    public EthernetHeader wrap(final MutableDirectBuffer buffer, final int offset, final int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** Length of the wrapped frame (header and everything after it). */
    public int length() {
        return length;
    }

    public long destination() {
        return MacAddress.read(buffer, offset + DESTINATION_OFFSET);
    }

    public EthernetHeader destination(final long mac) {
        MacAddress.write(buffer, offset + DESTINATION_OFFSET, mac);
        return this;
    }

    public long source() {
        return MacAddress.read(buffer, offset + SOURCE_OFFSET);
    }

    public EthernetHeader source(final long mac) {
        MacAddress.write(buffer, offset + SOURCE_OFFSET, mac);
        return this;
    }

    /** The 16 bits after the MACs: an EtherType, a VLAN TPID, or (below 0x0600) an 802.3 length. */
    public int etherType() {
        return buffer.getShort(offset + ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public EthernetHeader etherType(final int etherType) {
        buffer.putShort(offset + ETHER_TYPE_OFFSET, (short) etherType, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Offset (in the buffer) of the bytes after the untagged header. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }
}
