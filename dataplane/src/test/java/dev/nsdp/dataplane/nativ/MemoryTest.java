package dev.nsdp.dataplane.nativ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Large regions come zeroed, aligned to 2 MiB, and backed by transparent huge pages where the kernel allows. */
class MemoryTest {
    private static final long SIZE = 64L << 20;

    @Test
    void anonymousRegionIsZeroedAlignedAndBackedByHugePages() throws IOException {
        final MemorySegment region = Memory.mapAnonymous(SIZE);
        try {
            assertEquals(0, region.address() % Memory.HUGE_PAGE_SIZE, "2 MiB aligned");
            assertEquals(SIZE, region.byteSize());
            for (long at = 0; at < SIZE; at += 4096) {
                assertEquals(0L, region.get(ValueLayout.JAVA_LONG, at), "zeroed");
                region.set(ValueLayout.JAVA_LONG, at, at + 1);
            }
            final String thp = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            assumeTrue(thp.contains("[always]") || thp.contains("[madvise]"), "THP disabled on this machine: " + thp);
            final long hugeKb = anonHugeKbOfMappingAt(region.address());
            assertTrue(hugeKb >= (SIZE >> 10) / 2,
                "expected most of the region in huge pages, AnonHugePages = " + hugeKb + " kB");
        } finally {
            Memory.unmap(region);
        }
    }

    /** AnonHugePages of the /proc/self/smaps entry whose range contains {@code address}. */
    private static long anonHugeKbOfMappingAt(final long address) throws IOException {
        final List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        boolean inside = false;
        for (final String line : lines) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                final String[] range = line.substring(0, line.indexOf(' ')).split("-");
                inside = Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16);
            } else if (inside && line.startsWith("AnonHugePages:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
