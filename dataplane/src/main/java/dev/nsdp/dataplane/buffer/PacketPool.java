package dev.nsdp.dataplane.buffer;

import dev.nsdp.dataplane.nativ.OffHeapRegion;
import java.lang.foreign.MemorySegment;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The off-heap packet memory: {@code bufferCount} buffers of {@code bufferSize} bytes (a power of
 * two) in one region. A frame's bytes never move between ports in process: descriptors
 * ({@link Descriptor}) do.
 *
 * <p>Free buffers sit in a global stack that threads reach only through their own
 * {@link BufferCache}, refilling or spilling half a cache at a time (DPDK's mempool cache
 * design), so the per-packet cost of allocate and free is an array access, and the global lock is
 * taken once per {@code cacheSize / 2} operations.
 */
public final class PacketPool implements AutoCloseable {
    /** Bytes kept free in front of a received frame, so a port can push a VLAN tag in place. */
    public static final int DEFAULT_HEADROOM = 64;
    public static final int DEFAULT_BUFFER_SIZE = 2048;

    private final OffHeapRegion region;
    private final MemorySegment memory;
    private final UnsafeBuffer view;
    private final int bufferCount;
    private final int bufferSize;
    private final int bufferShift;
    private final int headroom;
    private final int[] freeStack;
    private int freeCount;

    public PacketPool(final int bufferCount) {
        this(bufferCount, DEFAULT_BUFFER_SIZE, DEFAULT_HEADROOM);
    }

    public PacketPool(final int bufferCount, final int bufferSize, final int headroom) {
        if (bufferCount <= 0 || bufferCount > Descriptor.MAX_BUFFERS) {
            throw new IllegalArgumentException(
                "bufferCount must be 1.." + Descriptor.MAX_BUFFERS + ", got " + bufferCount);
        }
        if (bufferSize < 256 || Integer.bitCount(bufferSize) != 1 || bufferSize > 65536) {
            throw new IllegalArgumentException("bufferSize must be a power of two in 256..65536, got " + bufferSize);
        }
        if (headroom < 0 || headroom > bufferSize / 2) {
            throw new IllegalArgumentException("headroom must be 0.." + bufferSize / 2 + ", got " + headroom);
        }
        final long total = (long) bufferCount * bufferSize;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pool of " + total + " bytes exceeds 2 GiB: use fewer or smaller buffers");
        }
        this.region = OffHeapRegion.allocate(total, 4096); // huge pages when large
        this.memory = region.segment();
        this.view = new UnsafeBuffer(memory.address(), (int) total);
        this.bufferCount = bufferCount;
        this.bufferSize = bufferSize;
        this.bufferShift = Integer.numberOfTrailingZeros(bufferSize);
        this.headroom = headroom;
        this.freeStack = new int[bufferCount];
        for (int i = 0; i < bufferCount; i++) {
            freeStack[i] = bufferCount - 1 - i;
        }
        this.freeCount = bufferCount;
    }

    /** The whole pool as one buffer: frame bytes are at {@link #offsetOf(long)}. */
    public UnsafeBuffer view() {
        return view;
    }

    public MemorySegment memory() {
        return memory;
    }

    public int bufferCount() {
        return bufferCount;
    }

    public int bufferSize() {
        return bufferSize;
    }

    public int headroom() {
        return headroom;
    }

    /** Largest frame a buffer holds when it starts at the default headroom. */
    public int maxFrameLength() {
        return bufferSize - headroom;
    }

    /** Offset within {@link #view()} of the first byte of the frame a descriptor names. */
    public int offsetOf(final long descriptor) {
        return (Descriptor.bufferIndex(descriptor) << bufferShift) + Descriptor.offset(descriptor);
    }

    /** Offset within {@link #view()} of the start of buffer {@code index}. */
    public int bufferStart(final int index) {
        return index << bufferShift;
    }

    public long addressOf(final long descriptor) {
        return memory.address() + offsetOf(descriptor);
    }

    /** Buffers in the global stack (not counting those held in thread caches). */
    public synchronized int globalFree() {
        return freeCount;
    }

    public BufferCache newCache(final int cacheSize) {
        return new BufferCache(this, cacheSize);
    }

    synchronized int takeBulk(final int[] into, final int offset, final int max) {
        final int n = Math.min(max, freeCount);
        for (int i = 0; i < n; i++) {
            into[offset + i] = freeStack[--freeCount];
        }
        return n;
    }

    synchronized void returnBulk(final int[] from, final int offset, final int count) {
        for (int i = 0; i < count; i++) {
            final int index = from[offset + i];
            if (freeCount >= bufferCount) {
                throw new IllegalStateException("buffer " + index + " freed twice: pool already full");
            }
            freeStack[freeCount++] = index;
        }
    }

    @Override
    public void close() {
        region.close();
    }
}
