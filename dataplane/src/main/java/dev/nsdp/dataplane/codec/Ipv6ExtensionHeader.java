package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over one IPv6 extension header. All share the first byte, Next Header; their length
 * is encoded three ways (RFC 8200 section 4, RFC 4302):
 * <ul>
 *   <li>Fragment: always 8 bytes (the second byte is reserved);</li>
 *   <li>Authentication Header: (Payload Len + 2) 32-bit words;</li>
 *   <li>all others (hop-by-hop, routing, destination options, mobility, HIP, shim6):
 *       (Hdr Ext Len + 1) 8-byte units.</li>
 * </ul>
 * The fragment-specific fields are here too: a fragment header is the one extension the parser
 * reads beyond its length.
 */
public final class Ipv6ExtensionHeader {
    public static final int NEXT_HEADER_OFFSET = 0;
    public static final int LENGTH_OFFSET = 1;
    /** Every extension header is at least 8 bytes. */
    public static final int MIN_LENGTH = 8;
    public static final int FRAGMENT_HEADER_LENGTH = 8;

    public static final int FRAGMENT_OFFSET_FIELD_OFFSET = 2;
    public static final int FRAGMENT_IDENTIFICATION_OFFSET = 4;
    /** Fragment offset mask on the 16-bit word: the offset in 8-byte units, already shifted left by 3. */
    public static final int FRAGMENT_OFFSET_MASK = 0xFFF8;
    public static final int FRAGMENT_MORE = 0x0001;

    private MutableDirectBuffer buffer;
    private int offset;
    private int type;

    /** Wraps the extension header at {@code offset} whose type (the previous Next Header) is {@code type}. */
    public Ipv6ExtensionHeader wrap(final MutableDirectBuffer buffer, final int offset, final int type) {
        this.buffer = buffer;
        this.offset = offset;
        this.type = type;
        return this;
    }

    public int offset() {
        return offset;
    }

    public int type() {
        return type;
    }

    public int nextHeader() {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    public Ipv6ExtensionHeader nextHeader(final int nextHeader) {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte) nextHeader);
        return this;
    }

    /** The raw second byte: Hdr Ext Len, AH's Payload Len, or the fragment header's reserved byte. */
    public int lengthField() {
        return buffer.getByte(offset + LENGTH_OFFSET) & 0xFF;
    }

    public Ipv6ExtensionHeader lengthField(final int value) {
        buffer.putByte(offset + LENGTH_OFFSET, (byte) value);
        return this;
    }

    /** Length in bytes of this header, from its type and length field. */
    public int length() {
        return length(type, lengthField());
    }

    /** Length in bytes of an extension header of {@code type} whose second byte is {@code lengthField}. */
    public static int length(final int type, final int lengthField) {
        if (type == IpProtocol.IPV6_FRAGMENT) {
            return FRAGMENT_HEADER_LENGTH;
        }
        if (type == IpProtocol.AH) {
            return (lengthField + 2) << 2;
        }
        return (lengthField + 1) << 3;
    }

    /** Offset (in the buffer) of the next header. */
    public int nextOffset() {
        return offset + length();
    }

    // ---------------------------------------------------------------- fragment header fields

    /** Fragment offset in bytes (the carried 13-bit value times 8). */
    public int fragmentOffsetBytes() {
        return buffer.getShort(offset + FRAGMENT_OFFSET_FIELD_OFFSET, ByteOrder.BIG_ENDIAN) & FRAGMENT_OFFSET_MASK;
    }

    public boolean moreFragments() {
        return (buffer.getShort(offset + FRAGMENT_OFFSET_FIELD_OFFSET, ByteOrder.BIG_ENDIAN) & FRAGMENT_MORE) != 0;
    }

    /** Sets the fragment offset (bytes, a multiple of 8) and the M flag, reserved bits zero. */
    public Ipv6ExtensionHeader fragment(final int offsetBytes, final boolean more) {
        buffer.putShort(offset + FRAGMENT_OFFSET_FIELD_OFFSET,
            (short) ((offsetBytes & FRAGMENT_OFFSET_MASK) | (more ? FRAGMENT_MORE : 0)), ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int fragmentIdentification() {
        return buffer.getInt(offset + FRAGMENT_IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Ipv6ExtensionHeader fragmentIdentification(final int id) {
        buffer.putInt(offset + FRAGMENT_IDENTIFICATION_OFFSET, id, ByteOrder.BIG_ENDIAN);
        return this;
    }
}
