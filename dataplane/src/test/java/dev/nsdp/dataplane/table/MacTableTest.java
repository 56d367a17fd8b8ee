package dev.nsdp.dataplane.table;

import static dev.nsdp.dataplane.table.MacTable.INVALID;
import static dev.nsdp.dataplane.table.MacTable.LEARNED;
import static dev.nsdp.dataplane.table.MacTable.LIMIT_REACHED;
import static dev.nsdp.dataplane.table.MacTable.MISS;
import static dev.nsdp.dataplane.table.MacTable.MOVED;
import static dev.nsdp.dataplane.table.MacTable.REFRESHED;
import static dev.nsdp.dataplane.table.MacTable.STATIC_UNCHANGED;
import static dev.nsdp.dataplane.table.MacTable.TABLE_FULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.codec.MacAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MacTableTest {
    private static final long A = MacAddress.parse("02:00:00:00:00:0a");
    private static final long B = MacAddress.parse("02:00:00:00:00:0b");
    private static final long C = MacAddress.parse("02:00:00:00:00:0c");

    @Test
    void learnsThenLooksUp() {
        try (MacTable table = new MacTable(1024)) {
            assertEquals(MISS, table.lookup(0, A));
            assertEquals(LEARNED, table.learn(0, A, 3, 0));
            assertEquals(3, table.lookup(0, A));
            assertEquals(MISS, table.lookup(0, B));
            assertEquals(1, table.size());
            assertEquals(1, table.count(0));
            assertEquals(1, table.learnedCount(0));
            assertEquals(1L, table.learnResultCount(LEARNED));
        }
    }

    @Test
    void knownStationOnSamePortIsRefreshedAndOnAnotherPortMoves() {
        try (MacTable table = new MacTable(1024)) {
            table.learn(5, A, 1, 0);
            assertEquals(REFRESHED, table.learn(5, A, 1, 10));
            assertEquals(1, table.lookup(5, A));
            assertEquals(MOVED, table.learn(5, A, 2, 20));
            assertEquals(2, table.lookup(5, A));
            assertEquals(1, table.size());
            assertEquals(1, table.learnedCount(5));
            assertEquals(1L, table.learnResultCount(REFRESHED));
            assertEquals(1L, table.learnResultCount(MOVED));
            // The move updated the port counts: flushing the old port finds nothing, the new one the entry.
            assertEquals(0, table.flushPort(1));
            assertEquals(1, table.flushPort(2));
            assertEquals(MISS, table.lookup(5, A));
        }
    }

    @Test
    void sameMacInTwoNamespacesIsTwoIndependentEntries() {
        try (MacTable table = new MacTable(1024)) {
            assertEquals(LEARNED, table.learn(1, A, 10, 0));
            assertEquals(LEARNED, table.learn(2, A, 20, 0));
            assertEquals(10, table.lookup(1, A));
            assertEquals(20, table.lookup(2, A));
            assertEquals(MISS, table.lookup(3, A));

            assertEquals(MOVED, table.learn(1, A, 11, 5));
            assertEquals(11, table.lookup(1, A));
            assertEquals(20, table.lookup(2, A), "a move in namespace 1 must not touch namespace 2");

            assertTrue(table.remove(2, A));
            assertEquals(11, table.lookup(1, A));
            assertEquals(MISS, table.lookup(2, A));
            assertEquals(1, table.count(1));
            assertEquals(0, table.count(2));

            // The extreme namespace ids are namespaces like any other.
            assertEquals(LEARNED, table.learn(0, B, 1, 0));
            assertEquals(LEARNED, table.learn(65535, B, 2, 0));
            assertEquals(1, table.lookup(0, B));
            assertEquals(2, table.lookup(65535, B));
        }
    }

    @Test
    void staticEntriesAreNeverLearnedOverNorAged() {
        try (MacTable table = new MacTable(1024, 8192, 1000)) {
            assertTrue(table.addStatic(4, A, 7));
            assertEquals(7, table.lookup(4, A));
            assertEquals(STATIC_UNCHANGED, table.learn(4, A, 9, 0));
            assertEquals(7, table.lookup(4, A));
            assertEquals(1, table.staticCount(4));
            assertEquals(0, table.learnedCount(4));

            table.learn(4, B, 9, 0);
            assertEquals(1, table.age(1_000_000, (int) table.slots()));
            assertEquals(MISS, table.lookup(4, B));
            assertEquals(7, table.lookup(4, A), "aging never removes a static entry");

            // Learned flushes leave static entries; flushes that include static ones do not.
            assertEquals(0, table.flushPort(7));
            assertEquals(0, table.flushNamespace(4));
            assertEquals(7, table.lookup(4, A));
            assertEquals(1, table.flushPort(7, true));
            assertEquals(MISS, table.lookup(4, A));
            assertEquals(0, table.size());
        }
    }

    @Test
    void staticEntryReplacesALearnedOneAndCountsMoveWithIt() {
        try (MacTable table = new MacTable(1024)) {
            table.learn(3, A, 1, 0);
            assertTrue(table.addStatic(3, A, 2));
            assertEquals(2, table.lookup(3, A));
            assertEquals(0, table.learnedCount(3));
            assertEquals(1, table.staticCount(3));
            assertEquals(1, table.size());
            assertTrue(table.addStatic(3, A, 5), "re-adding a static entry moves it");
            assertEquals(5, table.lookup(3, A));
            assertEquals(1, table.staticCount(3));
            assertEquals(0, table.flushPort(2, true));
            assertTrue(table.remove(3, A));
            assertEquals(0, table.staticCount(3));
            assertEquals(LEARNED, table.learn(3, A, 1, 0), "after removal the station is learned again");
        }
    }

    @Test
    void staticEntriesIgnoreTheNamespaceLimitAndMaxEntriesButNotHardCapacity() {
        try (MacTable table = new MacTable(8, 2, 1000)) {
            assertEquals(16, table.slots());
            for (int i = 1; i <= 5; i++) {
                assertTrue(table.addStatic(1, i, 0));
            }
            assertEquals(LEARNED, table.learn(1, 100, 0, 0));
            assertEquals(LEARNED, table.learn(1, 101, 0, 0));
            assertEquals(LIMIT_REACHED, table.learn(1, 102, 0, 0), "the limit bounds learned entries only");
            assertEquals(LEARNED, table.learn(2, 100, 0, 0));
            assertEquals(TABLE_FULL, table.learn(2, 101, 0, 0), "learning stops at maxEntries");
            for (int i = 6; i <= 9; i++) {
                assertTrue(table.addStatic(1, i, 0), "static entries may go beyond maxEntries");
            }
            assertEquals(12, table.size());
            assertFalse(table.addStatic(1, 10, 0), "but not beyond three quarters of the slots");
            for (int i = 1; i <= 9; i++) {
                assertEquals(0, table.lookup(1, i));
            }
        }
    }

    @Test
    void refusesWhatCanNeverBeAStation() {
        try (MacTable table = new MacTable(64)) {
            assertEquals(INVALID, table.learn(0, MacAddress.BROADCAST, 1, 0));
            assertEquals(INVALID, table.learn(0, MacAddress.parse("01:00:5e:00:00:01"), 1, 0));
            assertEquals(INVALID, table.learn(0, 0L, 1, 0));
            assertEquals(INVALID, table.learn(0, A, 4096, 0));
            assertEquals(INVALID, table.learn(0, A, -1, 0));
            assertEquals(5L, table.learnResultCount(INVALID));
            assertEquals(0, table.size());
            assertThrows(IllegalArgumentException.class, () -> table.addStatic(0, MacAddress.BROADCAST, 1));
            assertThrows(IllegalArgumentException.class, () -> table.addStatic(0, 0L, 1));
            assertThrows(IllegalArgumentException.class, () -> table.addStatic(65536, A, 1));
            assertThrows(IllegalArgumentException.class, () -> table.addStatic(0, A, 4096));
            assertThrows(IllegalArgumentException.class, () -> table.setLimit(0, -1));
            assertThrows(IllegalArgumentException.class, () -> table.setAgingMs(0, 0));
            assertThrows(IllegalArgumentException.class, () -> new MacTable(0));
        }
    }

    @Test
    void broadcastInTheLastNamespaceNeverMatchesAnEmptySlot() {
        // ~key of (65535, ff:ff:ff:ff:ff:ff) is the empty-slot marker: it must still miss, even where
        // deleted entries left stale values behind.
        try (MacTable table = new MacTable(8)) {
            for (long mac = 2; mac < 2 + 8; mac += 2) {
                table.learn(65535, mac, 9, 0);
            }
            for (long mac = 2; mac < 2 + 8; mac += 2) {
                table.remove(65535, mac);
            }
            assertEquals(MISS, table.lookup(65535, MacAddress.BROADCAST));
            assertFalse(table.remove(65535, MacAddress.BROADCAST));
        }
    }

    @Test
    void agingUsesEachNamespacesOwnTime() {
        try (MacTable table = new MacTable(1024, 8192, 300_000)) {
            table.setAgingMs(1, 1000);
            table.setAgingMs(2, 5000);
            final int t0 = 50;
            table.learn(1, A, 1, t0);
            table.learn(2, A, 2, t0);
            final int all = (int) table.slots();
            assertEquals(0, table.age(t0 + 999, all));
            assertEquals(1, table.age(t0 + 1000, all));
            assertEquals(MISS, table.lookup(1, A));
            assertEquals(2, table.lookup(2, A));
            assertEquals(0, table.age(t0 + 4999, all));
            assertEquals(1, table.age(t0 + 5000, all));
            assertEquals(MISS, table.lookup(2, A));
            assertEquals(0, table.size());
            assertEquals(2L, table.agedOutCount());
        }
    }

    @Test
    void refreshPostponesAgingButNotWithinTheRefreshGranularity() {
        try (MacTable table = new MacTable(1024, 8192, 1000)) {
            final int all = (int) table.slots();
            table.learn(0, A, 1, 0);
            table.learn(0, B, 1, 0);
            table.learn(0, C, 1, 0);
            assertEquals(REFRESHED, table.learn(0, A, 1, 600));
            assertEquals(REFRESHED, table.learn(0, B, 1, MacTable.REFRESH_GRANULARITY_MS - 1)); // not written
            assertEquals(MOVED, table.learn(0, C, 2, 700));                                     // a move always writes
            assertEquals(1, table.age(1000, all));
            assertEquals(MISS, table.lookup(0, B));
            assertEquals(1, table.lookup(0, A));
            assertEquals(0, table.age(1599, all));
            assertEquals(1, table.age(1600, all));
            assertEquals(2, table.lookup(0, C));
            assertEquals(1, table.age(1700, all));
            assertEquals(0, table.size());
        }
    }

    @Test
    void agingIsWrapSafeAcrossTheIntClock() {
        try (MacTable table = new MacTable(64, 8192, 1000)) {
            final int before = Integer.MAX_VALUE - 300;
            table.learn(0, A, 1, before);
            assertEquals(0, table.age(before + 999, 128)); // wraps to a negative int
            assertEquals(1, table.age(before + 1000, 128));
            assertEquals(0, table.size());
        }
    }

    @Test
    void incrementalSweepResumesAndCoversTheWholeTable() {
        final int entries = 10_000;
        final int budget = 1000;
        try (MacTable table = new MacTable(entries, entries, 1000)) {
            for (int i = 0; i < entries; i++) {
                assertEquals(LEARNED, table.learn(i % 3, 0x0200_0000_0000L + i, i & 0xFFF, 0));
            }
            final long slots = table.slots();
            int calls = 0;
            int removed = 0;
            boolean sawPartial = false;
            while (table.size() > 0 && calls < 2 * slots / budget + 2) {
                final int n = table.age(1000, budget);
                assertTrue(n <= budget, "a call removes at most its budget");
                removed += n;
                calls++;
                if (table.size() > 0 && removed > 0) {
                    sawPartial = true;
                    // Whatever the sweep has not reached yet is still findable after the shifts.
                    int found = 0;
                    for (int i = 0; i < entries; i++) {
                        final int port = table.lookup(i % 3, 0x0200_0000_0000L + i);
                        if (port != MISS) {
                            assertEquals(i & 0xFFF, port);
                            found++;
                        }
                    }
                    assertEquals(table.size(), found);
                }
            }
            assertEquals(0, table.size());
            assertEquals(entries, removed);
            assertTrue(sawPartial, "the sweep took several calls");
            // Slots scanned = slots + removals (each removal re-examines its slot): just over one lap.
            assertTrue(calls <= (slots + entries) / budget + 1, "one lap, not more: " + calls + " calls");
            assertTrue(calls >= slots / budget, "the budget bounds each call: " + calls + " calls");
        }
    }

    @Test
    void floodingNamespaceCannotEvictOrStarveAnother() {
        final int flooder = 100;
        final int victim = 200;
        try (MacTable table = new MacTable(1 << 16, 8192, 300_000)) {
            for (int i = 0; i < 1000; i++) {
                assertEquals(LEARNED, table.learn(victim, 0x0200_0000_0000L + i, i % 7, 0));
            }
            final SplittableRandom random = new SplittableRandom(42);
            int learned = 0;
            int limited = 0;
            for (int i = 0; i < 1_000_000; i++) {
                final long mac = (random.nextLong() & 0xFEFF_FFFF_FFFFL) | 0x0200_0000_0000L;
                final int result = table.learn(flooder, mac, i & 3, i >>> 10);
                if (result == LEARNED) {
                    learned++;
                } else if (result == LIMIT_REACHED) {
                    limited++;
                }
            }
            assertEquals(8192, learned);
            assertTrue(limited > 1_000_000 - 8192 - 100, "the rest was refused: " + limited);
            assertEquals(8192, table.learnedCount(flooder));
            assertEquals(0L, table.learnResultCount(TABLE_FULL));

            for (int i = 0; i < 1000; i++) {
                assertEquals(i % 7, table.lookup(victim, 0x0200_0000_0000L + i), "victim entry evicted");
            }
            for (int i = 1000; i < 8192; i++) {
                assertEquals(LEARNED, table.learn(victim, 0x0200_0000_0000L + i, 1, 1000), "victim starved");
            }
            assertEquals(LIMIT_REACHED, table.learn(victim, 0x0200_0000_0000L + 8192, 1, 1000));
            assertEquals(8192, table.learnedCount(victim));
            assertEquals(16384, table.size());
        }
    }

    @Test
    void loweringTheLimitStopsLearningWithoutRemovingAnything() {
        try (MacTable table = new MacTable(1024)) {
            for (int i = 1; i <= 10; i++) {
                table.learn(9, i, 0, 0);
            }
            table.setLimit(9, 5);
            assertEquals(LIMIT_REACHED, table.learn(9, 11, 0, 0));
            assertEquals(REFRESHED, table.learn(9, 1, 0, 1000), "known stations are still refreshed");
            assertEquals(MOVED, table.learn(9, 2, 1, 1000), "and may still move");
            assertEquals(10, table.count(9));
            for (int i = 1; i <= 6; i++) {
                table.remove(9, i);
            }
            assertEquals(LEARNED, table.learn(9, 11, 0, 0));
            assertEquals(LIMIT_REACHED, table.learn(9, 12, 0, 0));
            table.setLimit(9, 0);
            assertEquals(LIMIT_REACHED, table.learn(9, 13, 0, 0), "a limit of 0 turns learning off");
        }
    }

    @Test
    void flushesRemoveExactlyWhatTheyName() {
        try (MacTable table = new MacTable(4096)) {
            // namespaces 1 and 2, ports 0..3, 100 stations on each; one static per namespace on port 0
            for (int ns = 1; ns <= 2; ns++) {
                for (int i = 0; i < 400; i++) {
                    table.learn(ns, 0x0200_0000_0000L + i, i % 4, 0);
                }
                table.addStatic(ns, 0x0400_0000_0000L, 0);
            }
            assertEquals(100, table.flushPort(1, 3));
            assertEquals(100, table.flushPort(3), "namespace 2's port-3 entries remain for the global flush");
            assertEquals(0, table.flushPort(3));
            assertEquals(200, table.flushPort(2));
            assertEquals(100, table.flushPort(2, 0));
            assertEquals(1, table.flushPort(2, 0, true), "then the static one");
            assertEquals(200, table.flushNamespace(1), "namespace 1's learned port-0 and port-1 entries");
            assertEquals(1, table.count(1));
            assertEquals(1, table.flushNamespace(1, true));
            assertEquals(0, table.count(1));
            // namespace 2 kept its port-1 entries
            assertEquals(100, table.count(2));
            for (int i = 0; i < 400; i++) {
                assertEquals(i % 4 == 1 ? 1 : MISS, table.lookup(2, 0x0200_0000_0000L + i));
            }
            assertEquals(100, table.size());
        }
    }

    @Test
    void forEachShowsOneNamespaceOrAll() {
        try (MacTable table = new MacTable(1024)) {
            table.learn(1, A, 1, 77);
            table.learn(1, B, 2, 78);
            table.addStatic(1, C, 3);
            table.learn(2, A, 4, 79);
            final Map<Long, String> seen = new HashMap<>();
            assertEquals(3, table.forEach(1, (ns, mac, port, isStatic, lastSeen) ->
                seen.put(mac, ns + "/" + port + "/" + isStatic + (isStatic ? "" : "/" + lastSeen))));
            assertEquals(Map.of(A, "1/1/false/77", B, "1/2/false/78", C, "1/3/true"), seen);
            final List<Integer> namespaces = new ArrayList<>();
            assertEquals(4, table.forEach((ns, mac, port, isStatic, lastSeen) -> namespaces.add(ns)));
            namespaces.sort(null);
            assertEquals(List.of(1, 1, 1, 2), namespaces);
        }
    }

    @Test
    void burstsAnswerAsSingleCallsDo() {
        try (MacTable table = new MacTable(1024, 20, 300_000)) {
            final int n = 64;
            final int[] namespaces = new int[n];
            final long[] macs = new long[n];
            final int[] ports = new int[n];
            final int[] results = new int[n];
            for (int i = 0; i < n; i++) {
                namespaces[i] = i % 2;
                macs[i] = 0x0200_0000_0000L + i % 48; // repeats within the burst
                ports[i] = i % 48 < 24 ? 3 : i % 5;
            }
            macs[7] = MacAddress.BROADCAST;
            table.addStatic(1, macs[9], 9);
            table.learnBurst(n, namespaces, macs, ports, 0, results);
            try (MacTable reference = new MacTable(1024, 20, 300_000)) {
                reference.addStatic(1, macs[9], 9);
                for (int i = 0; i < n; i++) {
                    assertEquals(reference.learn(namespaces[i], macs[i], ports[i], 0), results[i], "learn " + i);
                }
                assertEquals(LIMIT_REACHED, results[46]); // the 24th station of namespace 0
                assertEquals(INVALID, results[7]);
                assertEquals(STATIC_UNCHANGED, results[9]);
                final int[] found = new int[n];
                table.lookupBurst(n, namespaces, macs, found);
                for (int i = 0; i < n; i++) {
                    assertEquals(reference.lookup(namespaces[i], macs[i]), found[i], "lookup " + i);
                }
            }
            table.lookupBurst(0, namespaces, macs, ports); // an empty burst is fine
        }
    }

    @Test
    void slotsAreThePowerOfTwoAtOrAboveTwiceTheCapacity() {
        try (MacTable small = new MacTable(1); MacTable exact = new MacTable(1024); MacTable odd = new MacTable(1025)) {
            assertEquals(8, small.slots());
            assertEquals(2048, exact.slots());
            assertEquals(4096, odd.slots());
        }
    }

    @Test
    void homeSlotsStartCacheLinesAndSpreadEvenly() {
        try (MacTable table = new MacTable(1 << 12)) {
            final int lines = (int) (table.slots() / 4);
            final int[] perLine = new int[lines];
            // Sequential MACs of one vendor in a few namespaces: the worst realistic input.
            for (int ns = 0; ns < 4; ns++) {
                for (int i = 0; i < lines * 4; i++) {
                    final long home = table.homeSlot(ns, 0x0050_5600_0000L + i);
                    assertEquals(0, home % 4);
                    perLine[(int) (home / 4)]++;
                }
            }
            // 16 keys per line on average: a good mixer keeps every line within a few sigma.
            for (final int n : perLine) {
                assertTrue(n > 0 && n < 48, "line load " + n);
            }
        }
    }
}
