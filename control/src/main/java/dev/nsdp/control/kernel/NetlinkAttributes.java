package dev.nsdp.control.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The attributes of one message (or of one nested attribute), indexed by type. Parsing walks the
 * attribute chain once, bounds-checked: an attribute whose length runs past its container ends the
 * walk (the kernel never sends one; a broken message must not make us read beyond it). When a type
 * occurs twice the last one wins, as in the kernel's own nla_parse.
 */
final class NetlinkAttributes {
    private static final int MAX_TYPE = 128;

    private final MemorySegment segment;
    private final long[] offsets = new long[MAX_TYPE];
    private final int[] lengths = new int[MAX_TYPE];

    private NetlinkAttributes(final MemorySegment segment) {
        this.segment = segment;
        Arrays.fill(offsets, -1);
    }

    /** Parses the attributes in {@code [offset, offset + length)} of {@code segment}. */
    static NetlinkAttributes parse(final MemorySegment segment, final long offset, final long length) {
        final NetlinkAttributes attributes = new NetlinkAttributes(segment);
        long at = offset;
        final long end = offset + length;
        while (at + NetlinkProtocol.ATTRIBUTE_HEADER_LENGTH <= end) {
            final int attributeLength = Short.toUnsignedInt(segment.get(JAVA_SHORT_UNALIGNED, at));
            final int type = Short.toUnsignedInt(segment.get(JAVA_SHORT_UNALIGNED, at + 2)) & NetlinkProtocol.NLA_TYPE_MASK;
            if (attributeLength < NetlinkProtocol.ATTRIBUTE_HEADER_LENGTH || at + attributeLength > end) {
                break;
            }
            if (type < MAX_TYPE) {
                attributes.offsets[type] = at + NetlinkProtocol.ATTRIBUTE_HEADER_LENGTH;
                attributes.lengths[type] = attributeLength - NetlinkProtocol.ATTRIBUTE_HEADER_LENGTH;
            }
            at += NetlinkProtocol.align(attributeLength);
        }
        return attributes;
    }

    boolean has(final int type) {
        return type < MAX_TYPE && offsets[type] >= 0;
    }

    int length(final int type) {
        return has(type) ? lengths[type] : -1;
    }

    int u8(final int type, final int missing) {
        return has(type) && lengths[type] >= 1 ? Byte.toUnsignedInt(segment.get(JAVA_BYTE, offsets[type])) : missing;
    }

    int u32(final int type, final int missing) {
        return has(type) && lengths[type] >= 4 ? segment.get(JAVA_INT_UNALIGNED, offsets[type]) : missing;
    }

    /** A string attribute without its terminating NUL, or null when absent. */
    String string(final int type) {
        if (!has(type)) {
            return null;
        }
        int length = lengths[type];
        while (length > 0 && segment.get(JAVA_BYTE, offsets[type] + length - 1) == 0) {
            length--;
        }
        final byte[] bytes = new byte[length];
        MemorySegment.copy(segment, JAVA_BYTE, offsets[type], bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The raw payload, or null when absent. */
    byte[] bytes(final int type) {
        if (!has(type)) {
            return null;
        }
        final byte[] bytes = new byte[lengths[type]];
        MemorySegment.copy(segment, JAVA_BYTE, offsets[type], bytes, 0, bytes.length);
        return bytes;
    }

    /** The attributes nested in {@code type}, or null when absent. */
    NetlinkAttributes nested(final int type) {
        return has(type) ? parse(segment, offsets[type], lengths[type]) : null;
    }
}
