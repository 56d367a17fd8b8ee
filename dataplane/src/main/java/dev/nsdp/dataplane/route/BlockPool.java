package dev.nsdp.dataplane.route;

import dev.nsdp.dataplane.nativ.OffHeapRegion;
import java.util.Arrays;

/**
 * Off-heap blocks of 2^k 64-byte lines for the chunks of a route table, named by a reference: the
 * index of their first line (line 0 is never handed out, so 0 means "no block").
 *
 * <p>Blocks are copy-on-write: a chunk change writes a new block and publishes it, and the old one
 * is freed - but a reader may still be inside it. So a freed block first waits on a pending list of
 * its size class; pending blocks become reusable together, at a <em>promotion</em> that moves the
 * {@link ChunkIndex} sequence. A reader that started before a promotion sees the sequence moved and
 * retries; a reader that starts after it cannot reach a promoted block any more, since every block
 * on the pending list had been unlinked before it was freed. Promotion happens when a class has
 * {@value #PROMOTE_AT} pending blocks or when memory would otherwise run out, so readers retry at
 * most about once per {@value #PROMOTE_AT} block frees.
 *
 * <p>New blocks come from free lists, then from the never-used tail of the region (bumped), then
 * after a promotion, and last from a free block of a larger class (kept whole, with its class). The
 * region is mapped lazily: only lines up to the bump mark are ever touched. Its end is padded by
 * {@code padBytes} that are never handed out, so a reader that follows a reused block's header
 * (garbage, discarded by its sequence check) stays inside mapped memory. Writer thread only,
 * except {@link #address}.
 */
final class BlockPool implements AutoCloseable {
    static final int LINE_SHIFT = 6;
    static final int MAX_CLASS = 30;
    private static final int PROMOTE_AT = 64;

    private final ChunkIndex index;
    private final OffHeapRegion region;
    private final long base;
    private final long limitLines;
    private long bumpLine = 1;
    private final int[][] free = new int[MAX_CLASS + 1][];
    private final int[] freeCount = new int[MAX_CLASS + 1];
    private final int[][] pending = new int[MAX_CLASS + 1][];
    private final int[] pendingCount = new int[MAX_CLASS + 1];
    private long liveBytes;

    BlockPool(final long limitBytes, final long padBytes, final ChunkIndex index) {
        final long lines = (limitBytes >>> LINE_SHIFT) + 1;
        if (lines >= (1L << 31)) {
            throw new IllegalArgumentException("route block memory beyond 128 GiB: " + limitBytes);
        }
        this.index = index;
        this.limitLines = lines;
        this.region = OffHeapRegion.allocate((lines << LINE_SHIFT) + padBytes, 64);
        this.base = region.address();
        for (int c = 0; c <= MAX_CLASS; c++) {
            free[c] = new int[4];
            pending[c] = new int[4];
        }
    }

    /** The size class (log2 of lines) of a block of {@code bytes}. */
    static int classOf(final long bytes) {
        final long lines = Math.max(1L, (bytes + 63) >>> LINE_SHIFT);
        return 64 - Long.numberOfLeadingZeros(lines - 1);
    }

    long address(final int ref) {
        return base + ((long) ref << LINE_SHIFT);
    }

    /** A block of class {@code cls} (possibly larger: read {@code classOut[0]}); IllegalStateException when out of memory. */
    int allocate(final int cls, final int[] classOut) {
        if (cls > MAX_CLASS) {
            throw new IllegalStateException("route table full: a chunk would need a block of 2^" + cls + " lines");
        }
        if (freeCount[cls] == 0 && pendingCount[cls] >= PROMOTE_AT) {
            promote();
        }
        if (freeCount[cls] > 0) {
            return take(cls, classOut);
        }
        final long lines = 1L << cls;
        if (bumpLine + lines <= limitLines) {
            final int ref = (int) bumpLine;
            bumpLine += lines;
            classOut[0] = cls;
            liveBytes += lines << LINE_SHIFT;
            return ref;
        }
        promote();
        for (int c = cls; c <= MAX_CLASS; c++) {
            if (freeCount[c] > 0) {
                return take(c, classOut);
            }
        }
        throw new IllegalStateException("route table full: route block memory (" + (limitLines << LINE_SHIFT) + " bytes) exhausted");
    }

    private int take(final int c, final int[] classOut) {
        classOut[0] = c;
        liveBytes += (1L << c) << LINE_SHIFT;
        return free[c][--freeCount[c]];
    }

    /** Frees a block no longer linked from the index; reused only after the next promotion. */
    void free(final int ref, final int cls) {
        if (pendingCount[cls] == pending[cls].length) {
            pending[cls] = Arrays.copyOf(pending[cls], pending[cls].length * 2);
        }
        pending[cls][pendingCount[cls]++] = ref;
        liveBytes -= (1L << cls) << LINE_SHIFT;
    }

    private void promote() {
        boolean any = false;
        for (int c = 0; c <= MAX_CLASS; c++) {
            any |= pendingCount[c] > 0;
        }
        if (!any) {
            return;
        }
        index.beginChange();
        for (int c = 0; c <= MAX_CLASS; c++) {
            final int n = pendingCount[c];
            if (n == 0) {
                continue;
            }
            if (freeCount[c] + n > free[c].length) {
                free[c] = Arrays.copyOf(free[c], Math.max(free[c].length * 2, freeCount[c] + n));
            }
            System.arraycopy(pending[c], 0, free[c], freeCount[c], n);
            freeCount[c] += n;
            pendingCount[c] = 0;
        }
        index.endChange();
    }

    /** Bytes of the region ever handed out (touched): the high-water mark. */
    long usedBytes() {
        return bumpLine << LINE_SHIFT;
    }

    /** Bytes in blocks currently linked or about to be (not freed). */
    long liveBytes() {
        return liveBytes;
    }

    /** On-heap bookkeeping bytes (free and pending lists), roughly. */
    long bookkeepingBytes() {
        long b = 0;
        for (int c = 0; c <= MAX_CLASS; c++) {
            b += 16L + 4L * (free[c].length + pending[c].length);
        }
        return b;
    }

    @Override
    public void close() {
        region.close();
    }
}
