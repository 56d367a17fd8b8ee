package dev.nsdp.dataplane.buffer;

/**
 * One thread's window onto a {@link PacketPool}: allocate and free are array operations; the pool's
 * lock is taken only to refill or spill half the cache. Not thread safe: one per thread (each
 * worker, each generator, each test driver owns its own).
 */
public final class BufferCache {
    private final PacketPool pool;
    private final int[] indices;
    private final int half;
    private int count;

    BufferCache(final PacketPool pool, final int cacheSize) {
        if (cacheSize < 2) {
            throw new IllegalArgumentException("cacheSize must be >= 2, got " + cacheSize);
        }
        this.pool = pool;
        this.indices = new int[cacheSize];
        this.half = cacheSize / 2;
    }

    public PacketPool pool() {
        return pool;
    }

    /** A free buffer's index, or -1 when the pool is exhausted. */
    public int allocate() {
        if (count == 0) {
            count = pool.takeBulk(indices, 0, half);
            if (count == 0) {
                return -1;
            }
        }
        return indices[--count];
    }

    /** A descriptor of an empty frame in a newly allocated buffer at the pool's headroom, or -1. */
    public long allocateDescriptor() {
        final int index = allocate();
        return index < 0 ? -1L : Descriptor.of(index, pool.headroom(), 0);
    }

    public void free(final int bufferIndex) {
        if (count == indices.length) {
            pool.returnBulk(indices, half, count - half);
            count = half;
        }
        indices[count++] = bufferIndex;
    }

    public void free(final long descriptor) {
        free(Descriptor.bufferIndex(descriptor));
    }

    /** Returns every cached buffer to the pool (on shutdown, so the pool's accounting is whole). */
    public void flush() {
        pool.returnBulk(indices, 0, count);
        count = 0;
    }

    public int cached() {
        return count;
    }
}
