package dev.nsdp.dataplane.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retiring a port forgets its learned entries at once without scanning the table. */
class MacTableRetireTest {
    static final long MAC = 0x0200_0000_0001L;

    @Test
    void retiredEntriesMissAreRelearnedAndReclaimedByTheSweep() {
        try (MacTable table = new MacTable(1024)) {
            for (int i = 0; i < 100; i++) {
                assertEquals(MacTable.LEARNED, table.learn(1, MAC + i, 3, 0));
            }
            assertEquals(MacTable.LEARNED, table.learn(1, MAC + 1000, 4, 0));
            table.addStatic(1, MAC + 2000, 3);
            assertEquals(100, table.learnedCountByPort(3));

            table.retirePort(3);
            assertEquals(MacTable.MISS, table.lookupAsOwner(1, MAC), "retired: the entry no longer matches");
            assertEquals(MacTable.MISS, table.lookup(1, MAC + 5), "for other threads as well");
            assertEquals(4, table.lookupAsOwner(1, MAC + 1000), "other ports are untouched");
            assertEquals(3, table.lookupAsOwner(1, MAC + 2000), "static entries are untouched");
            assertEquals(0, table.learnedCountByPort(3));
            final AtomicInteger shown = new AtomicInteger();
            table.forEach(1, (ns, mac, port, isStatic, seen) -> shown.incrementAndGet());
            assertEquals(2, shown.get(), "display skips stale entries");

            // Relearned on another port, the stale slot is taken over and counted once.
            assertEquals(MacTable.LEARNED, table.learn(1, MAC, 7, 10));
            assertEquals(7, table.lookupAsOwner(1, MAC));
            assertEquals(1, table.learnedCountByPort(7));
            assertEquals(101, table.learnedCount(1), "stale entries still count until the sweep");

            // One sweep of the whole table reclaims the 99 stale entries (aging time is far away).
            final int removed = table.age(20, 2 * (int) table.slots()); // re-examined slots count against the budget
            assertEquals(99, removed);
            assertEquals(2, table.learnedCount(1));
            assertEquals(3, table.size());
            assertEquals(1, table.learnedCountByPort(7));
            assertEquals(1, table.learnedCountByPort(4));
        }
    }

    @Test
    void aPortReattachedUnderTheSameIndexStartsClean() {
        try (MacTable table = new MacTable(1024)) {
            table.learn(2, MAC, 5, 0);
            table.retirePort(5); // detached; the index is handed to a new port
            assertEquals(MacTable.MISS, table.lookupAsOwner(2, MAC), "the new port must not inherit old stations");
            table.learn(2, MAC + 1, 5, 1);
            assertEquals(5, table.lookupAsOwner(2, MAC + 1));
            assertTrue(table.learnedCountByPort(5) == 1);
        }
    }
}
