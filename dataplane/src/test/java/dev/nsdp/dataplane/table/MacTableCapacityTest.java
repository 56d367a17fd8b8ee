package dev.nsdp.dataplane.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Full-size tables: 4M entries (128 MiB), and one beyond 2 GiB to prove the offsets are long. */
class MacTableCapacityTest {
    private static final int FOUR_MILLION = 4 << 20;

    private static long macOf(final int i) {
        // Spread over vendors (the top octet keeps the group bit clear) so no input pattern helps.
        return 0x0200_0000_0000L | ((long) (i % 251) << 32) | (i * 0x9E3779B1L & 0xFFFF_FFFFL);
    }

    @Test
    void holdsFourMillionEntriesAndFindsEachOne() {
        try (MacTable table = new MacTable(FOUR_MILLION)) {
            assertEquals(8L << 20, table.slots());
            // 1024 namespaces x 4096 stations: each at its limit, the table at its capacity.
            for (int ns = 0; ns < 1024; ns++) {
                table.setLimit(ns, 4096);
            }
            for (int i = 0; i < FOUR_MILLION; i++) {
                assertEquals(MacTable.LEARNED, table.learn(i & 1023, macOf(i), i & 0xFFF, 0), "entry " + i);
            }
            assertEquals(FOUR_MILLION, table.size());
            for (int i = 0; i < FOUR_MILLION; i++) {
                if (table.lookup(i & 1023, macOf(i)) != (i & 0xFFF)) {
                    assertEquals(i & 0xFFF, table.lookup(i & 1023, macOf(i)), "entry " + i);
                }
            }
            assertEquals(MacTable.MISS, table.lookup(1024, macOf(0)), "same MAC, another namespace");
            table.setLimit(2000, 10);
            assertEquals(MacTable.TABLE_FULL, table.learn(2000, macOf(1), 1, 0));
            // Remove every other entry (backward shifts all over a full table), the rest stays findable.
            for (int i = 0; i < FOUR_MILLION; i += 2) {
                assertTrue(table.remove(i & 1023, macOf(i)));
            }
            for (int i = 1; i < FOUR_MILLION; i += 2) {
                if (table.lookup(i & 1023, macOf(i)) != (i & 0xFFF)) {
                    assertEquals(i & 0xFFF, table.lookup(i & 1023, macOf(i)), "entry " + i);
                }
            }
            assertEquals(FOUR_MILLION / 2, table.size());
        }
    }

    @Test
    void worksBeyondTwoGibibytes() throws IOException {
        // 2^27 entries -> 2^28 slots -> 4 GiB: only where the machine has room to spare.
        assumeTrue(availableMemoryBytes() > 12L << 30, "needs 12 GiB of available memory");
        assumeTrue(Runtime.getRuntime().maxMemory() > 5L << 30, "direct memory limit follows the heap limit");
        try (MacTable table = new MacTable(1 << 27, 1 << 20, 300_000)) {
            assertEquals(1L << 28, table.slots());
            int high = 0;
            for (int i = 0; i < 100_000; i++) {
                assertEquals(MacTable.LEARNED, table.learn(i & 7, macOf(i), i & 0xFFF, 0));
                if (table.homeSlot(i & 7, macOf(i)) >= 1L << 27) {
                    high++; // byte offset >= 2^31
                }
            }
            assertTrue(high > 40_000, "half the entries live beyond 2 GiB: " + high);
            for (int i = 0; i < 100_000; i++) {
                assertEquals(i & 0xFFF, table.lookup(i & 7, macOf(i)));
            }
            for (int i = 0; i < 100_000; i += 3) {
                assertTrue(table.remove(i & 7, macOf(i)));
            }
            for (int i = 0; i < 100_000; i++) {
                assertEquals(i % 3 == 0 ? MacTable.MISS : i & 0xFFF, table.lookup(i & 7, macOf(i)));
            }
        }
    }

    private static long availableMemoryBytes() throws IOException {
        for (final String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
