package dev.nsdp.dataplane.codec;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an IPv4 header (RFC 791) with its options. Accessors do not check lengths; the
 * {@link PacketParser} does, once, before anyone wraps a header it accepted.
 *
 * <p>Options are walked with {@link #firstOption()} / {@link #nextOption(int)}, which yield the
 * buffer offset of each option (EOL ends the walk) and -1 at the end or at a malformed option.
 */
public final class Ipv4Header {
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int FLAG_RESERVED = 0x8000;
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    public static final int OPTION_END_OF_LIST = 0;
    public static final int OPTION_NO_OPERATION = 1;

    private MutableDirectBuffer buffer;
    private int offset;

    public Ipv4Header wrap(final MutableDirectBuffer buffer, final int offset) {
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

    public int version() {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xFF) >>> 4;
    }

    /** Header length in 32-bit words (IHL), 5..15. */
    public int ihl() {
        return buffer.getByte(offset + VERSION_IHL_OFFSET) & 0x0F;
    }

    /** Header length in bytes including options. */
    public int headerLength() {
        return ihl() << 2;
    }

    /** Sets version 4 and the header length in bytes (a multiple of 4, 20..60). */
    public Ipv4Header versionAndHeaderLength(final int headerLength) {
        buffer.putByte(offset + VERSION_IHL_OFFSET, (byte) (0x40 | (headerLength >>> 2)));
        return this;
    }

    /** The raw version/IHL byte (for writing malformed headers in tests). */
    public Ipv4Header versionIhl(final int value) {
        buffer.putByte(offset + VERSION_IHL_OFFSET, (byte) value);
        return this;
    }

    /** Type of service byte: DSCP (upper 6 bits) and ECN (lower 2). */
    public int tos() {
        return buffer.getByte(offset + TOS_OFFSET) & 0xFF;
    }

    public Ipv4Header tos(final int tos) {
        buffer.putByte(offset + TOS_OFFSET, (byte) tos);
        return this;
    }

    public int dscp() {
        return tos() >>> 2;
    }

    public int ecn() {
        return tos() & 0x3;
    }

    public int totalLength() {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Header totalLength(final int totalLength) {
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short) totalLength, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int identification() {
        return buffer.getShort(offset + IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Header identification(final int id) {
        buffer.putShort(offset + IDENTIFICATION_OFFSET, (short) id, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Flags (upper 3 bits) and fragment offset (lower 13, in 8-byte units) as one 16-bit word. */
    public int flagsAndFragmentOffset() {
        return buffer.getShort(offset + FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Header flagsAndFragmentOffset(final int value) {
        buffer.putShort(offset + FLAGS_FRAGMENT_OFFSET, (short) value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** The three flag bits: reserved, DF, MF (as 0..7, DF = 2, MF = 1). */
    public int flags() {
        return flagsAndFragmentOffset() >>> 13;
    }

    public boolean dontFragment() {
        return (flagsAndFragmentOffset() & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments() {
        return (flagsAndFragmentOffset() & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** Fragment offset in 8-byte units, as carried. */
    public int fragmentOffset() {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    /** True for any fragment: more fragments follow, or this one does not start at offset 0. */
    public boolean isFragment() {
        return (flagsAndFragmentOffset() & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    /** True for the fragment at offset 0 of a fragmented datagram: the only one carrying the L4 header. */
    public boolean isFirstFragment() {
        final int v = flagsAndFragmentOffset();
        return (v & FLAG_MORE_FRAGMENTS) != 0 && (v & FRAGMENT_OFFSET_MASK) == 0;
    }

    public int ttl() {
        return buffer.getByte(offset + TTL_OFFSET) & 0xFF;
    }

    public Ipv4Header ttl(final int ttl) {
        buffer.putByte(offset + TTL_OFFSET, (byte) ttl);
        return this;
    }

    public int protocol() {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    public Ipv4Header protocol(final int protocol) {
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte) protocol);
        return this;
    }

    public int checksum() {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Header checksum(final int checksum) {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short) checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int source() {
        return buffer.getInt(offset + SOURCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Ipv4Header source(final int address) {
        buffer.putInt(offset + SOURCE_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int destination() {
        return buffer.getInt(offset + DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Ipv4Header destination(final int address) {
        buffer.putInt(offset + DESTINATION_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Offset (in the buffer) of the first byte after the header and options. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    // ---------------------------------------------------------------- checksum

    /** The checksum this header should carry, computed over the header with the field taken as zero. */
    public int computeChecksum() {
        final int stored = checksum();
        // Summing the stored value too and subtracting it (one's complement: adding its complement)
        // avoids writing the buffer.
        final long sum = Checksum.sum(buffer, offset, headerLength()) + (~stored & 0xFFFF);
        return Checksum.finish(sum);
    }

    /** Recomputes and stores the header checksum. */
    public Ipv4Header updateChecksum() {
        checksum(0);
        return checksum(Checksum.compute(buffer, offset, headerLength()));
    }

    public boolean isChecksumValid() {
        return Checksum.isValid(buffer, offset, headerLength());
    }

    /**
     * Decrements the TTL and patches the header checksum incrementally (RFC 1624): the TTL is the
     * high byte of the 16-bit word it shares with the protocol. The caller checks TTL > 1 first.
     */
    public Ipv4Header decrementTtl() {
        final int oldWord = buffer.getShort(offset + TTL_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int newWord = oldWord - 0x0100;
        buffer.putShort(offset + TTL_OFFSET, (short) newWord, ByteOrder.BIG_ENDIAN);
        return checksum(Checksum.update16(checksum(), oldWord, newWord));
    }

    /** Rewrites the source address and patches the header checksum incrementally. */
    public Ipv4Header rewriteSource(final int address) {
        final int old = source();
        source(address);
        return checksum(Checksum.update32(checksum(), old, address));
    }

    /** Rewrites the destination address and patches the header checksum incrementally. */
    public Ipv4Header rewriteDestination(final int address) {
        final int old = destination();
        destination(address);
        return checksum(Checksum.update32(checksum(), old, address));
    }

    // ---------------------------------------------------------------- options

    /** Bytes of options (header length minus 20). */
    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** Buffer offset of the first option, or -1 if there are none (or the first is End of List). */
    public int firstOption() {
        return optionAt(offset + MIN_HEADER_LENGTH);
    }

    /** Buffer offset of the option after the one at {@code optionOffset}, or -1 at the end or if malformed. */
    public int nextOption(final int optionOffset) {
        final int length = optionLength(optionOffset);
        return length <= 0 ? -1 : optionAt(optionOffset + length);
    }

    /** Option type byte (copied flag, class and number). */
    public int optionType(final int optionOffset) {
        return buffer.getByte(optionOffset) & 0xFF;
    }

    /**
     * Total length of the option at {@code optionOffset}: 1 for NOP and EOL, the length byte
     * otherwise; -1 if the length byte is missing, below 2, or runs past the header.
     */
    public int optionLength(final int optionOffset) {
        final int type = optionType(optionOffset);
        if (type == OPTION_END_OF_LIST || type == OPTION_NO_OPERATION) {
            return 1;
        }
        final int end = offset + headerLength();
        if (optionOffset + 1 >= end) {
            return -1;
        }
        final int length = buffer.getByte(optionOffset + 1) & 0xFF;
        return length < 2 || optionOffset + length > end ? -1 : length;
    }

    /** True if the options parse: every option's length is at least 2 and stays inside the header. */
    public boolean optionsValid() {
        return Ipv4Header.optionsValid(buffer, offset + MIN_HEADER_LENGTH, offset + headerLength());
    }

    /**
     * Walks options in {@code [start, end)}: false if an option other than EOL/NOP lacks its length
     * byte, has a length below 2, or runs past {@code end}. At most 40 bytes, so the loop is short.
     */
    public static boolean optionsValid(final DirectBuffer buffer, final int start, final int end) {
        int p = start;
        while (p < end) {
            final int type = buffer.getByte(p) & 0xFF;
            if (type == OPTION_END_OF_LIST) {
                return true;
            }
            if (type == OPTION_NO_OPERATION) {
                p++;
                continue;
            }
            if (p + 1 >= end) {
                return false;
            }
            final int length = buffer.getByte(p + 1) & 0xFF;
            if (length < 2 || p + length > end) {
                return false;
            }
            p += length;
        }
        return true;
    }

    private int optionAt(final int p) {
        return p < offset + headerLength() && optionType(p) != OPTION_END_OF_LIST ? p : -1;
    }
}
