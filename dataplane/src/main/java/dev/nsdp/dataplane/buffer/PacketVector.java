package dev.nsdp.dataplane.buffer;

/**
 * A burst of up to {@link #MAX_SIZE} frames handled together (VPP's vector): descriptors plus the
 * port each came in on. Stages walk it in a tight loop, so per-frame call and cache costs are
 * shared by the burst. Reused forever by its owner; never shared between threads.
 */
public final class PacketVector {
    public static final int MAX_SIZE = 256;

    private final long[] descriptors;
    private final int[] ports;
    private int count;

    public PacketVector() {
        this(MAX_SIZE);
    }

    public PacketVector(final int capacity) {
        if (capacity <= 0 || capacity > MAX_SIZE) {
            throw new IllegalArgumentException("capacity must be 1.." + MAX_SIZE + ", got " + capacity);
        }
        this.descriptors = new long[capacity];
        this.ports = new int[capacity];
    }

    public int capacity() {
        return descriptors.length;
    }

    public int count() {
        return count;
    }

    public int space() {
        return descriptors.length - count;
    }

    public boolean isFull() {
        return count == descriptors.length;
    }

    public long descriptor(final int i) {
        return descriptors[i];
    }

    public int port(final int i) {
        return ports[i];
    }

    public void setDescriptor(final int i, final long descriptor) {
        descriptors[i] = descriptor;
    }

    /** Appends a frame; the caller checks {@link #isFull()} first. */
    public void add(final long descriptor, final int port) {
        descriptors[count] = descriptor;
        ports[count] = port;
        count++;
    }

    /** Keeps the first {@code newCount} frames (after a partial transmit, say). */
    public void truncate(final int newCount) {
        count = newCount;
    }

    /** Drops the first {@code n} frames, moving the rest to the front. */
    public void removeFirst(final int n) {
        final int rest = count - n;
        if (rest > 0) {
            System.arraycopy(descriptors, n, descriptors, 0, rest);
            System.arraycopy(ports, n, ports, 0, rest);
        }
        count = Math.max(rest, 0);
    }

    public void clear() {
        count = 0;
    }

    /** Frees every frame in the vector into {@code cache} and empties it. */
    public void freeAll(final BufferCache cache) {
        for (int i = 0; i < count; i++) {
            cache.free(descriptors[i]);
        }
        count = 0;
    }
}
