package dev.nsdp.dataplane.route;

import dev.nsdp.dataplane.nativ.OffHeapRegion;
import java.util.Arrays;
import org.agrona.UnsafeApi;

/**
 * Off-heap blocks of 2^k 64-byte lines (class k) for the chunks of a route table, named by a
 * reference: the index of their first line (line 0 is never handed out, so 0 means "no block").
 * A buddy allocator: a block of class k starts at a multiple of 2^k lines; a free block whose
 * buddy (the other half of the class k+1 block) is free too merges with it, so memory freed by
 * small chunks serves large ones and the other way round. The free lists are linked through the
 * free blocks themselves; a byte per line says which lines head a free block of which class.
 *
 * <p>Blocks are copy-on-write: a chunk change writes a new block and publishes it, and the old one
 * is freed - but a reader may still be inside it. So a freed block first waits on a pending list;
 * pending blocks join the free lists together, at a <em>promotion</em> that moves the
 * {@link ChunkIndex} sequence. A reader that started before a promotion sees the sequence moved and
 * retries; a reader that starts after it cannot reach a promoted block any more, since every
 * pending block had been unlinked from the index before it was freed. Promotion happens every
 * {@value #PROMOTE_AT} frees or when memory would otherwise run out, so readers retry at most about
 * once per {@value #PROMOTE_AT} block frees.
 *
 * <p>New blocks come from the free lists (splitting a larger block), else from the never-used tail
 * of the region (bumped; the lines skipped to align it become free blocks). The region is mapped
 * lazily: only lines below the bump mark are ever touched. Its end is padded by {@code padBytes}
 * that are never handed out, so a reader that follows a reused block's header (garbage, discarded
 * by its sequence check) stays inside mapped memory. Writer thread only, except {@link #address}.
 */
final class BlockPool implements AutoCloseable {
    static final int LINE_SHIFT = 6;
    static final int MAX_CLASS = 30;
    private static final int PROMOTE_AT = 64;
    private static final int NONE = 0;

    private final ChunkIndex index;
    private final OffHeapRegion region;
    private final long base;
    private final long limitLines;
    private long bumpLine = 1;
    /** Per line: 0, or 1 + the class of the free block that starts there. */
    private final byte[] freeClassAt;
    private final int[] freeHead = new int[MAX_CLASS + 1];
    private int[] pendingRef = new int[PROMOTE_AT * 2];
    private byte[] pendingClass = new byte[PROMOTE_AT * 2];
    private int pendingCount;
    private long liveBytes;

    BlockPool(final long limitBytes, final long padBytes, final ChunkIndex index) {
        final long lines = (limitBytes >>> LINE_SHIFT) + 1;
        if (lines >= (1L << 31) - 8) {
            throw new IllegalArgumentException("route block memory beyond 128 GiB: " + limitBytes);
        }
        this.index = index;
        this.limitLines = lines;
        this.freeClassAt = new byte[(int) lines];
        this.region = OffHeapRegion.allocate((lines << LINE_SHIFT) + padBytes, 64);
        this.base = region.address();
    }

    /** The size class (log2 of lines) of a block of {@code bytes}. */
    static int classOf(final long bytes) {
        final long lines = Math.max(1L, (bytes + 63) >>> LINE_SHIFT);
        return 64 - Long.numberOfLeadingZeros(lines - 1);
    }

    long address(final int ref) {
        return base + ((long) ref << LINE_SHIFT);
    }

    /** A block of class {@code cls} ({@code classOut[0]} says so); IllegalStateException when out of memory, nothing changed. */
    int allocate(final int cls, final int[] classOut) {
        if (cls > MAX_CLASS) {
            throw new IllegalStateException("route table full: a chunk would need a block of 2^" + cls + " lines");
        }
        if (pendingCount >= PROMOTE_AT) {
            promote();
        }
        int ref = fromFree(cls);
        if (ref == NONE) {
            ref = fromTail(cls);
        }
        if (ref == NONE && pendingCount > 0) {
            promote();
            ref = fromFree(cls);
        }
        if (ref == NONE) {
            throw new IllegalStateException("route table full: route block memory (" + (limitLines << LINE_SHIFT) + " bytes) exhausted");
        }
        classOut[0] = cls;
        liveBytes += (1L << cls) << LINE_SHIFT;
        return ref;
    }

    private int fromFree(final int cls) {
        for (int c = cls; c <= MAX_CLASS; c++) {
            final int ref = freeHead[c];
            if (ref != NONE) {
                unlink(ref, c);
                for (int split = c - 1; split >= cls; split--) {
                    link(ref + (1 << split), split); // the upper halves stay free
                }
                return ref;
            }
        }
        return NONE;
    }

    private int fromTail(final int cls) {
        final long size = 1L << cls;
        final long aligned = (bumpLine + size - 1) & -size;
        if (aligned + size > limitLines) {
            return NONE;
        }
        long gap = bumpLine;
        while (gap < aligned) { // the skipped lines become free blocks, largest aligned pieces first
            int c = Long.numberOfTrailingZeros(gap);
            while (gap + (1L << c) > aligned) {
                c--;
            }
            release((int) gap, c);
            gap += 1L << c;
        }
        bumpLine = aligned + size;
        return (int) aligned;
    }

    /** Frees a block no longer linked from the index; reused only after the next promotion. */
    void free(final int ref, final int cls) {
        if (pendingCount == pendingRef.length) {
            pendingRef = Arrays.copyOf(pendingRef, pendingCount * 2);
            pendingClass = Arrays.copyOf(pendingClass, pendingCount * 2);
        }
        pendingRef[pendingCount] = ref;
        pendingClass[pendingCount] = (byte) cls;
        pendingCount++;
        liveBytes -= (1L << cls) << LINE_SHIFT;
    }

    private void promote() {
        index.bump(); // readers that might still be inside a pending block retry from here on
        for (int i = 0; i < pendingCount; i++) {
            release(pendingRef[i], pendingClass[i]);
        }
        pendingCount = 0;
    }

    /** Puts a block on the free lists, merged with its free buddies. */
    private void release(int ref, int cls) {
        while (cls < MAX_CLASS) {
            final long buddy = ref ^ (1L << cls);
            if (buddy >= bumpLine || freeClassAt[(int) buddy] != cls + 1) {
                break;
            }
            unlink((int) buddy, cls);
            ref = (int) Math.min(ref, buddy);
            cls++;
        }
        link(ref, cls);
    }

    // A free block's first line holds its list links: int next at +0, int previous at +4.
    private void link(final int ref, final int cls) {
        final int head = freeHead[cls];
        final long at = address(ref);
        UnsafeApi.putInt(null, at, head);
        UnsafeApi.putInt(null, at + 4, NONE);
        if (head != NONE) {
            UnsafeApi.putInt(null, address(head) + 4, ref);
        }
        freeHead[cls] = ref;
        freeClassAt[ref] = (byte) (cls + 1);
    }

    private void unlink(final int ref, final int cls) {
        final long at = address(ref);
        final int next = UnsafeApi.getInt(null, at);
        final int previous = UnsafeApi.getInt(null, at + 4);
        if (previous == NONE) {
            freeHead[cls] = next;
        } else {
            UnsafeApi.putInt(null, address(previous), next);
        }
        if (next != NONE) {
            UnsafeApi.putInt(null, address(next) + 4, previous);
        }
        freeClassAt[ref] = 0;
    }

    /** Bytes of the region ever handed out (touched): the high-water mark. */
    long usedBytes() {
        return bumpLine << LINE_SHIFT;
    }

    /** Bytes in blocks currently allocated (not freed). */
    long liveBytes() {
        return liveBytes;
    }

    /** On-heap bookkeeping bytes: the free-block map and the pending list. */
    long bookkeepingBytes() {
        return freeClassAt.length + 5L * pendingRef.length + 4L * freeHead.length;
    }

    @Override
    public void close() {
        region.close();
    }
}
