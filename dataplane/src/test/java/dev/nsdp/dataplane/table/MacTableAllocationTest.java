package dev.nsdp.dataplane.table;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The per-frame operations allocate nothing: measured with the thread's allocation counter. */
class MacTableAllocationTest {
    private static final int OPERATIONS = 1_000_000;

    @Test
    void burstsAllocateNothing() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final int burst = 32;
        final int[] namespaces = new int[burst];
        final long[] macs = new long[burst];
        final int[] ports = new int[burst];
        final int[] results = new int[burst];
        try (MacTable table = new MacTable(1 << 14)) {
            long sink = 0;
            long before = 0;
            for (int round = 0; round < 2; round++) {
                if (round == 1) {
                    before = threads.getCurrentThreadAllocatedBytes();
                }
                for (int b = 0; b < OPERATIONS / burst; b++) {
                    for (int k = 0; k < burst; k++) {
                        final int key = (b * 7 + k * 131) & 0x3FFF;
                        namespaces[k] = key & 3;
                        macs[k] = 0x0200_0000_0000L | key;
                        ports[k] = key & 0xF;
                    }
                    table.learnBurst(burst, namespaces, macs, ports, b, results);
                    table.lookupBurst(burst, namespaces, macs, ports);
                    sink += ports[b & 31] + results[b & 31];
                }
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in " + OPERATIONS + " burst lookups and learns");
            assertTrue(sink != 0);
        }
    }

    @Test
    void lookupLearnAgeAndRemoveAllocateNothing() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (MacTable table = new MacTable(1 << 14, 100, 50)) {
            long sink = run(table, 0);          // warm-up: JIT compiles the paths measured below
            sink += run(table, OPERATIONS);
            final long before = threads.getCurrentThreadAllocatedBytes();
            sink += run(table, 2 * OPERATIONS);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in " + OPERATIONS + " operations");
            assertTrue(sink != 0);
            assertTrue(table.agedOutCount() > 0 && table.learnResultCount(MacTable.LIMIT_REACHED) > 0
                && table.learnResultCount(MacTable.MOVED) > 0 && table.learnResultCount(MacTable.REFRESHED) > 0,
                "every path was taken: aged " + table.agedOutCount() + ", limited " + table.learnResultCount(MacTable.LIMIT_REACHED)
                    + ", moved " + table.learnResultCount(MacTable.MOVED) + ", refreshed " + table.learnResultCount(MacTable.REFRESHED));
        }
    }

    /** A mix of every hot operation: lookups, new/refreshed/moved/limited learns, removals, aging. */
    private static long run(final MacTable table, final int start) {
        long sink = 0;
        int seed = start * 0x9E3779B1;
        for (int i = start; i < start + OPERATIONS; i++) {
            seed = seed * 1_103_515_245 + 12_345;
            final int k = (seed >>> 8) & 0x3FFF;
            final int ns = k & 3;
            final long mac = 0x0200_0000_0000L | k;
            final int now = i >> 6;
            switch ((seed >>> 24) & 7) {
                case 0, 1, 2 -> sink += table.lookup(ns, mac);
                case 3, 4 -> sink += table.learn(ns, mac, k & 0xF, now);
                case 5 -> sink += table.learn(ns, mac, (k + i) & 0xF, now);
                case 6 -> sink += table.remove(ns, mac) ? 1 : 0;
                default -> sink += table.age(now, 32);
            }
        }
        return sink;
    }
}
