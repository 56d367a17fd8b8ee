package dev.nsdp.control.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Writes netlink requests into off-heap memory, one after another, so that many requests can go to
 * the kernel in one sendto (the kernel processes every message of a datagram and acks each one).
 *
 * <p>Use: {@link #begin} a message, reserve its fixed header with {@link #struct}, add attributes
 * (nested ones between {@link #beginNested} and {@link #endNested}), then {@link #end} it. Lengths
 * and the 4-byte alignment of messages and attributes are filled in here, never by callers; the
 * padding is zeroed. The buffer grows as needed. Not thread-safe.
 */
final class NetlinkMessageWriter {
    private static final int MAX_NESTING = 8;

    private MemorySegment buffer;
    private int position;
    private int messageStart = -1;
    private int messages;
    private final int[] nests = new int[MAX_NESTING];
    private int nestDepth;

    NetlinkMessageWriter(final int initialCapacity) {
        buffer = Arena.ofAuto().allocate(Math.max(initialCapacity, 256), 8);
    }

    /** Forgets every message written: the next {@link #begin} writes at offset 0. */
    NetlinkMessageWriter reset() {
        position = 0;
        messageStart = -1;
        messages = 0;
        nestDepth = 0;
        return this;
    }

    /** Starts a message; returns its offset in {@link #segment()}. */
    int begin(final int type, final int flags, final int sequence) {
        if (messageStart >= 0) {
            throw new IllegalStateException("previous message not ended");
        }
        position = NetlinkProtocol.align(position);
        messageStart = position;
        reserve(NetlinkProtocol.HEADER_LENGTH);
        buffer.set(JAVA_SHORT_UNALIGNED, messageStart + NetlinkProtocol.TYPE_OFFSET, (short) type);
        buffer.set(JAVA_SHORT_UNALIGNED, messageStart + NetlinkProtocol.FLAGS_OFFSET, (short) flags);
        buffer.set(JAVA_INT_UNALIGNED, messageStart + NetlinkProtocol.SEQ_OFFSET, sequence);
        buffer.set(JAVA_INT_UNALIGNED, messageStart + NetlinkProtocol.PID_OFFSET, 0);
        return messageStart;
    }

    /** Reserves {@code length} zeroed bytes for a fixed header (ifinfomsg ...); returns its offset. */
    int struct(final int length) {
        final int offset = position;
        reserve(NetlinkProtocol.align(length));
        return offset;
    }

    /** Ends the message begun last: writes its length. */
    void end() {
        if (messageStart < 0 || nestDepth != 0) {
            throw new IllegalStateException("no message, or an unclosed nested attribute");
        }
        buffer.set(JAVA_INT_UNALIGNED, messageStart + NetlinkProtocol.LENGTH_OFFSET, position - messageStart);
        messageStart = -1;
        messages++;
    }

    void putByte(final int offset, final int value) {
        buffer.set(JAVA_BYTE, offset, (byte) value);
    }

    void putShort(final int offset, final int value) {
        buffer.set(JAVA_SHORT_UNALIGNED, offset, (short) value);
    }

    void putInt(final int offset, final int value) {
        buffer.set(JAVA_INT_UNALIGNED, offset, value);
    }

    void attributeU8(final int type, final int value) {
        final int payload = attributeHeader(type, 1);
        buffer.set(JAVA_BYTE, payload, (byte) value);
    }

    void attributeU32(final int type, final int value) {
        final int payload = attributeHeader(type, 4);
        buffer.set(JAVA_INT_UNALIGNED, payload, value);
    }

    /** A NUL-terminated string attribute (link names, kinds). */
    void attributeString(final int type, final String value) {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        final int payload = attributeHeader(type, bytes.length + 1);
        MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, payload, bytes.length);
        buffer.set(JAVA_BYTE, payload + bytes.length, (byte) 0);
    }

    void attributeBytes(final int type, final byte[] value) {
        final int payload = attributeHeader(type, value.length);
        MemorySegment.copy(value, 0, buffer, JAVA_BYTE, payload, value.length);
    }

    /** Opens a nested attribute; close it with {@link #endNested()}. */
    void beginNested(final int type) {
        if (nestDepth == MAX_NESTING) {
            throw new IllegalStateException("attributes nested too deeply");
        }
        nests[nestDepth++] = position;
        attributeHeader(type | NetlinkProtocol.NLA_F_NESTED, 0);
    }

    void endNested() {
        final int start = nests[--nestDepth];
        buffer.set(JAVA_SHORT_UNALIGNED, start, (short) (position - start));
    }

    /** Offset of the start of a nested attribute's payload: for a struct at the head of a nest (VETH_INFO_PEER). */
    int position() {
        return position;
    }

    /** Everything written so far; valid until the next write. */
    MemorySegment segment() {
        return buffer;
    }

    /** Bytes of complete messages. */
    int length() {
        return messageStart >= 0 ? messageStart : position;
    }

    int messageCount() {
        return messages;
    }

    private int attributeHeader(final int type, final int payloadLength) {
        final int length = NetlinkProtocol.ATTRIBUTE_HEADER_LENGTH + payloadLength;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("netlink attribute too long: " + length + " bytes");
        }
        final int start = position;
        reserve(NetlinkProtocol.align(length));
        buffer.set(JAVA_SHORT_UNALIGNED, start, (short) length);
        buffer.set(JAVA_SHORT_UNALIGNED, start + 2, (short) type);
        return start + NetlinkProtocol.ATTRIBUTE_HEADER_LENGTH;
    }

    /** Advances the position by {@code length} bytes, zeroing them (padding must be zero). */
    private void reserve(final int length) {
        final long needed = (long) position + length;
        if (needed > buffer.byteSize()) {
            final long capacity = Math.max(needed, buffer.byteSize() * 2);
            if (capacity > Integer.MAX_VALUE) {
                throw new IllegalStateException("netlink batch too large");
            }
            final MemorySegment bigger = Arena.ofAuto().allocate(capacity, 8);
            MemorySegment.copy(buffer, 0, bigger, 0, position);
            buffer = bigger;
        }
        buffer.asSlice(position, length).fill((byte) 0);
        position += length;
    }
}
