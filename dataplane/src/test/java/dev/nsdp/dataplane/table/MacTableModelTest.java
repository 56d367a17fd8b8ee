package dev.nsdp.dataplane.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The table against a HashMap model over a million random operations, in a table small enough that
 * probe runs are long, wrap around the end and are constantly cut by backward-shift deletion: after
 * every operation the answers must agree, and periodically every entry is checked.
 */
class MacTableModelTest {
    private static final int[] NAMESPACES = {0, 1, 7, 65535};
    private static final int[] LIMITS = {60, 1000, 0, 200};
    private static final int[] AGING_MS = {2000, 700, 1000, 5000};
    private static final int MAX_ENTRIES = 256;

    /** What the model knows about one entry. */
    private static final class Entry {
        int port;
        boolean isStatic;
        int lastSeen;

        Entry(final int port, final boolean isStatic, final int lastSeen) {
            this.port = port;
            this.isStatic = isStatic;
            this.lastSeen = lastSeen;
        }
    }

    private final Map<Long, Entry> model = new HashMap<>();
    private final Map<Integer, Integer> learned = new HashMap<>();
    private int modelSize;

    @Test
    void agreesWithAHashMapOverAMillionOperations() {
        final SplittableRandom random = new SplittableRandom(20240601);
        final long[] macs = new long[700];
        for (int i = 0; i < macs.length; i++) {
            macs[i] = (random.nextLong() & 0xFEFF_FFFF_FFFFL) | 1L; // unicast, non-zero
        }
        try (MacTable table = new MacTable(MAX_ENTRIES, 8192, 1000)) {
            final long hardCapacity = table.slots() * 3 / 4;
            for (int i = 0; i < NAMESPACES.length; i++) {
                table.setLimit(NAMESPACES[i], LIMITS[i]);
                table.setAgingMs(NAMESPACES[i], AGING_MS[i]);
            }
            int now = Integer.MAX_VALUE - 200_000; // the int clock wraps during the run
            final int operations = 1_000_000;
            for (int op = 0; op < operations; op++) {
                now += random.nextInt(3);
                final int nsIndex = random.nextInt(NAMESPACES.length);
                final int ns = NAMESPACES[nsIndex];
                final long mac = macs[random.nextInt(macs.length)];
                final long key = ((long) ns << 48) | mac;
                final int port = random.nextInt(100) == 0 ? 4095 : random.nextInt(6);
                final int kind = random.nextInt(1000);
                if (kind < 450) {
                    assertEquals(expectLearn(key, ns, nsIndex, port, now), table.learn(ns, mac, port, now), "learn op " + op);
                } else if (kind < 700) {
                    final Entry e = model.get(key);
                    assertEquals(e == null ? MacTable.MISS : e.port, table.lookup(ns, mac), "lookup op " + op);
                } else if (kind < 900) {
                    final Entry e = model.remove(key);
                    if (e != null) {
                        forget(ns, e);
                    }
                    assertEquals(e != null, table.remove(ns, mac), "remove op " + op);
                } else if (kind < 950) {
                    final Entry e = model.get(key);
                    final boolean fits = e != null || modelSize < hardCapacity;
                    if (fits) {
                        if (e != null) {
                            forget(ns, e);
                        }
                        model.put(key, new Entry(port, true, now));
                        modelSize++;
                    }
                    assertEquals(fits, table.addStatic(ns, mac, port), "addStatic op " + op);
                } else if (kind < 990) {
                    // A full lap, cursor anywhere: every expired learned entry goes.
                    int expired = 0;
                    for (final Iterator<Map.Entry<Long, Entry>> it = model.entrySet().iterator(); it.hasNext(); ) {
                        final Map.Entry<Long, Entry> me = it.next();
                        final int entryNs = (int) (me.getKey() >>> 48);
                        if (!me.getValue().isStatic && now - me.getValue().lastSeen >= table.agingMs(entryNs)) {
                            it.remove();
                            learned.merge(entryNs, -1, Integer::sum);
                            modelSize--;
                            expired++;
                        }
                    }
                    assertEquals(expired, table.age(now, (int) (2 * table.slots())), "age op " + op);
                } else if (kind < 995) {
                    final boolean withStatic = random.nextBoolean();
                    assertEquals(expectFlush(-1, port, withStatic), table.flushPort(port, withStatic), "flushPort op " + op);
                } else if (kind < 998) {
                    final boolean withStatic = random.nextBoolean();
                    assertEquals(expectFlush(ns, port, withStatic), table.flushPort(ns, port, withStatic), "flushPort(ns) op " + op);
                } else {
                    final boolean withStatic = random.nextBoolean();
                    assertEquals(expectFlush(ns, -1, withStatic), table.flushNamespace(ns, withStatic), "flushNamespace op " + op);
                }
                if (random.nextInt(1000) == 0 || op == operations - 1) {
                    checkEverything(table, macs);
                }
            }
            assertTrue(table.learnResultCount(MacTable.TABLE_FULL) > 0, "the run filled the table");
            assertTrue(table.learnResultCount(MacTable.LIMIT_REACHED) > 0, "the run hit namespace limits");
            assertTrue(table.agedOutCount() > 0, "the run aged entries");
        }
    }

    private int expectLearn(final long key, final int ns, final int nsIndex, final int port, final int now) {
        if (port > 4095 || port < 0) {
            return MacTable.INVALID;
        }
        final Entry e = model.get(key);
        if (e != null) {
            if (e.isStatic) {
                return MacTable.STATIC_UNCHANGED;
            }
            if (e.port == port) {
                if (now - e.lastSeen >= MacTable.REFRESH_GRANULARITY_MS) {
                    e.lastSeen = now;
                }
                return MacTable.REFRESHED;
            }
            e.port = port;
            e.lastSeen = now;
            return MacTable.MOVED;
        }
        if (learned.getOrDefault(ns, 0) >= LIMITS[nsIndex]) {
            return MacTable.LIMIT_REACHED;
        }
        if (modelSize >= MAX_ENTRIES) {
            return MacTable.TABLE_FULL;
        }
        model.put(key, new Entry(port, false, now));
        learned.merge(ns, 1, Integer::sum);
        modelSize++;
        return MacTable.LEARNED;
    }

    private int expectFlush(final int ns, final int port, final boolean withStatic) {
        int removed = 0;
        for (final Iterator<Map.Entry<Long, Entry>> it = model.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<Long, Entry> me = it.next();
            final int entryNs = (int) (me.getKey() >>> 48);
            final Entry e = me.getValue();
            if ((withStatic || !e.isStatic) && (ns < 0 || entryNs == ns) && (port < 0 || e.port == port)) {
                it.remove();
                forget(entryNs, e);
                removed++;
            }
        }
        return removed;
    }

    private void forget(final int ns, final Entry e) {
        if (!e.isStatic) {
            learned.merge(ns, -1, Integer::sum);
        }
        modelSize--;
    }

    private void checkEverything(final MacTable table, final long[] macs) {
        assertEquals(modelSize, table.size());
        for (final int ns : NAMESPACES) {
            int modelStatic = 0;
            for (final long mac : macs) {
                final Entry e = model.get(((long) ns << 48) | mac);
                assertEquals(e == null ? MacTable.MISS : e.port, table.lookup(ns, mac));
                if (e != null && e.isStatic) {
                    modelStatic++;
                }
            }
            assertEquals((int) learned.getOrDefault(ns, 0), table.learnedCount(ns));
            assertEquals(modelStatic, table.staticCount(ns));
        }
        final int[] walked = {0};
        table.forEach((ns, mac, port, isStatic, lastSeen) -> {
            final Entry e = model.get(((long) ns << 48) | mac);
            assertEquals(e.port, port);
            assertEquals(e.isStatic, isStatic);
            if (!isStatic) {
                assertEquals(e.lastSeen, lastSeen);
            }
            walked[0]++;
        });
        assertEquals(modelSize, walked[0]);
    }
}
