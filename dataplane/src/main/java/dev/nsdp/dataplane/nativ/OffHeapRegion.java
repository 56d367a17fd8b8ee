package dev.nsdp.dataplane.nativ;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A zeroed off-heap region owned by one structure (MAC table, packet pool). Large regions come
 * from anonymous mmap advised for huge pages before first touch ({@link Memory#mapAnonymous});
 * small ones (tests, tiny tables) from a shared arena, where huge pages would be wasted.
 */
public final class OffHeapRegion implements AutoCloseable {
    /** From this size on, a region is mapped for huge pages. */
    public static final long HUGE_PAGE_THRESHOLD = 4 * Memory.HUGE_PAGE_SIZE;

    private final Arena arena;
    private final MemorySegment segment;

    private OffHeapRegion(final Arena arena, final MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
    }

    /** {@code bytes} of zeroed memory, aligned to at least {@code alignment} (a power of two up to 2 MiB). */
    public static OffHeapRegion allocate(final long bytes, final long alignment) {
        if (bytes >= HUGE_PAGE_THRESHOLD) {
            return new OffHeapRegion(null, Memory.mapAnonymous(bytes)); // 2 MiB aligned
        }
        final Arena arena = Arena.ofShared();
        return new OffHeapRegion(arena, arena.allocate(bytes, alignment));
    }

    public MemorySegment segment() {
        return segment;
    }

    public long address() {
        return segment.address();
    }

    /** Frees the memory: only once nothing reads or writes it any more (raw accesses are not guarded). */
    @Override
    public void close() {
        if (arena == null) {
            Memory.unmap(segment);
        } else {
            arena.close();
        }
    }
}
