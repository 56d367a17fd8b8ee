package dev.nsdp.dataplane.nativ;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Advice to the kernel about nsdp's large off-heap regions (MAC table, packet pool).
 *
 * <p>Why: a MAC table of 1M entries is 64 MiB; with 4 KiB pages each random lookup also misses
 * the TLB and walks the page tables. Transparent huge pages (2 MiB) cut the TLB footprint 512-fold.
 * On machines where THP is "madvise" (the Debian default) a region gets them only when asked.
 */
public final class Memory {
    /** Linux MADV_HUGEPAGE (include/uapi/asm-generic/mman-common.h). */
    public static final int MADV_HUGEPAGE = 14;
    public static final long HUGE_PAGE_SIZE = 2L * 1024 * 1024;
    /** -Dnsdp.noHugePages=true turns the advice off (to measure what huge pages are worth). */
    public static final String NO_HUGE_PAGES_PROPERTY = "nsdp.noHugePages";
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;

    private static final MethodHandle MADVISE = Downcalls.capturingErrno("madvise",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private Memory() {
    }

    /**
     * Maps {@code size} bytes of zeroed anonymous memory, aligned to 2 MiB and advised for huge pages
     * before anything touches it (memory that is zeroed first, as {@code Arena.allocate} does, is
     * already backed by 4 KiB pages by the time advice arrives). Free it with {@link #unmap}.
     */
    public static MemorySegment mapAnonymous(final long size) {
        final long padded = size + HUGE_PAGE_SIZE; // room to align the start to a huge page
        final long raw = LibC.mmap(0, padded, LibC.PROT_READ | LibC.PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw < 0) {
            throw new NativeException("mmap of " + size + " bytes of anonymous memory", (int) -raw,
                "lower the table or pool size, or free memory");
        }
        final long start = (raw + HUGE_PAGE_SIZE - 1) & -HUGE_PAGE_SIZE;
        // Give back the unaligned head and tail, so unmap(segment) releases exactly what remains.
        if (start > raw) {
            LibC.munmap(raw, start - raw);
        }
        final long tail = raw + padded - (start + size);
        if (tail > 0) {
            LibC.munmap(start + size, tail);
        }
        if (!Boolean.getBoolean(NO_HUGE_PAGES_PROPERTY)) {
            madvise(start, size & -HUGE_PAGE_SIZE, MADV_HUGEPAGE); // best effort
        }
        return MemorySegment.ofAddress(start).reinterpret(size);
    }

    /** Releases memory from {@link #mapAnonymous}. */
    public static void unmap(final MemorySegment segment) {
        LibC.munmap(segment.address(), segment.byteSize());
    }

    /** madvise(2): 0 or -errno. */
    public static int madvise(final long address, final long length, final int advice) {
        try {
            final MemorySegment state = Downcalls.state();
            final int r = (int) MADVISE.invokeExact(state, MemorySegment.ofAddress(address), length, advice);
            return r < 0 ? -Downcalls.errno(state) : r;
        } catch (final Throwable t) {
            throw Downcalls.unexpected(t);
        }
    }

    /**
     * Asks for transparent huge pages over the whole 2 MiB pages inside {@code region}. Best effort:
     * returns false (and changes nothing) where the kernel says no (THP "never", or not Linux);
     * the region works either way, only slower.
     */
    public static boolean adviseHugePages(final MemorySegment region) {
        final long start = (region.address() + HUGE_PAGE_SIZE - 1) & -HUGE_PAGE_SIZE;
        final long end = (region.address() + region.byteSize()) & -HUGE_PAGE_SIZE;
        if (end <= start) {
            return false;
        }
        return madvise(start, end - start, MADV_HUGEPAGE) == 0;
    }
}
