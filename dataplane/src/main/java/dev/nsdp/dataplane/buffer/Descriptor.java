package dev.nsdp.dataplane.buffer;

/**
 * A packet descriptor packed into one {@code long}: which pool buffer holds the frame, where in
 * that buffer the frame starts, and how long it is. Rings and vectors carry descriptors, never
 * objects, so moving a frame between ports costs one 8-byte store.
 *
 * <pre>
 *  63        40 39          24 23              0
 *  +-----------+--------------+----------------+
 *  |  length   | data offset  |  buffer index  |
 *  +-----------+--------------+----------------+
 *     24 bits      16 bits         24 bits
 * </pre>
 */
public final class Descriptor {
    public static final int MAX_BUFFERS = 1 << 24;
    public static final int MAX_OFFSET = (1 << 16) - 1;
    public static final int MAX_LENGTH = (1 << 24) - 1;

    private Descriptor() {
    }

    public static long of(final int bufferIndex, final int offset, final int length) {
        return ((long) length << 40) | ((long) offset << 24) | bufferIndex;
    }

    public static int bufferIndex(final long descriptor) {
        return (int) (descriptor & 0xFF_FFFF);
    }

    public static int offset(final long descriptor) {
        return (int) ((descriptor >>> 24) & 0xFFFF);
    }

    public static int length(final long descriptor) {
        return (int) (descriptor >>> 40);
    }

    public static long withLength(final long descriptor, final int length) {
        return (descriptor & 0xFF_FFFF_FFFFL) | ((long) length << 40);
    }

    public static long withOffsetAndLength(final long descriptor, final int offset, final int length) {
        return of(bufferIndex(descriptor), offset, length);
    }
}
