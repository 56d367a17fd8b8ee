package dev.nsdp.dataplane.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lock-free single-producer / single-consumer ring of {@link Descriptor}s. The producer publishes
 * a whole burst with one release store of the tail; the consumer frees slots with one release
 * store of the head. Head and tail live on their own cache lines, and each side keeps a cached
 * copy of the other's index so a burst reads the shared line at most once.
 */
public final class DescriptorRing {
    private static final VarHandle LONG_ARRAY = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PAD = 16; // longs: 128 bytes, covers adjacent-line prefetch
    private static final int HEAD = PAD;
    private static final int TAIL = PAD * 2;
    private static final int CONSUMER_CACHED_TAIL = PAD * 3;
    private static final int PRODUCER_CACHED_HEAD = PAD * 4;

    private final long[] slots;
    private final int mask;
    /** Indices, each on its own line: head, tail and each side's cached copy of the other. */
    private final long[] indices = new long[PAD * 6];

    public DescriptorRing(final int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 2, got " + capacity);
        }
        this.slots = new long[capacity];
        this.mask = capacity - 1;
    }

    public int capacity() {
        return slots.length;
    }

    /** Producer: appends frames [from, vector.count()) of {@code vector}; returns how many fitted. */
    public int offer(final PacketVector vector, final int from) {
        final long tail = indices[TAIL];
        long head = indices[PRODUCER_CACHED_HEAD];
        final int want = vector.count() - from;
        if (tail + want - head > slots.length) {
            head = (long) LONG_ARRAY.getAcquire(indices, HEAD);
            indices[PRODUCER_CACHED_HEAD] = head;
        }
        final int n = (int) Math.min(want, slots.length - (tail - head));
        for (int i = 0; i < n; i++) {
            slots[(int) (tail + i) & mask] = vector.descriptor(from + i);
        }
        if (n > 0) {
            LONG_ARRAY.setRelease(indices, TAIL, tail + n);
        }
        return n;
    }

    /** Producer: appends one descriptor; false when the ring is full. */
    public boolean offer(final long descriptor) {
        final long tail = indices[TAIL];
        if (tail - indices[PRODUCER_CACHED_HEAD] >= slots.length) {
            indices[PRODUCER_CACHED_HEAD] = (long) LONG_ARRAY.getAcquire(indices, HEAD);
            if (tail - indices[PRODUCER_CACHED_HEAD] >= slots.length) {
                return false;
            }
        }
        slots[(int) tail & mask] = descriptor;
        LONG_ARRAY.setRelease(indices, TAIL, tail + 1);
        return true;
    }

    /** Consumer: moves up to {@code vector.space()} descriptors into {@code vector}, tagged with {@code port}. */
    public int poll(final PacketVector vector, final int port) {
        final long head = indices[HEAD];
        long tail = indices[CONSUMER_CACHED_TAIL];
        if (tail == head) {
            tail = (long) LONG_ARRAY.getAcquire(indices, TAIL);
            if (tail == head) {
                return 0;
            }
            indices[CONSUMER_CACHED_TAIL] = tail;
        }
        final int n = (int) Math.min(tail - head, vector.space());
        for (int i = 0; i < n; i++) {
            vector.add(slots[(int) (head + i) & mask], port);
        }
        LONG_ARRAY.setRelease(indices, HEAD, head + n);
        return n;
    }

    /** Consumer: one descriptor, or -1 when empty. */
    public long poll() {
        final long head = indices[HEAD];
        if (head == indices[CONSUMER_CACHED_TAIL]) {
            indices[CONSUMER_CACHED_TAIL] = (long) LONG_ARRAY.getAcquire(indices, TAIL);
            if (head == indices[CONSUMER_CACHED_TAIL]) {
                return -1L;
            }
        }
        final long descriptor = slots[(int) head & mask];
        LONG_ARRAY.setRelease(indices, HEAD, head + 1);
        return descriptor;
    }

    /** Frames waiting (approximate when read by a third thread). */
    public int size() {
        return (int) ((long) LONG_ARRAY.getAcquire(indices, TAIL) - (long) LONG_ARRAY.getAcquire(indices, HEAD));
    }
}
