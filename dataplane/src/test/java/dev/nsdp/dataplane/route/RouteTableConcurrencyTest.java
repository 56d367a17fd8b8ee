package dev.nsdp.dataplane.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A reader thread looping lookups (single and burst) while the writer toggles routes never sees a
 * value that was never valid for the address: every answer is the value of a route of that
 * namespace that covers the address (a permanent covering route means NO_ROUTE is never valid).
 * The candidate routes are all made before the threads start, so the reader checks against
 * immutable data. The churn empties and refills chunks (index removals), changes short prefixes
 * and frees thousands of blocks (reuse after promotion), the cases the sequence guards.
 * Bounded: the writer stops after {@value #WRITES} changes or {@value #MAX_SECONDS} s.
 */
class RouteTableConcurrencyTest {
    private static final int WRITES = 400_000;
    private static final int MAX_SECONDS = 20;
    private static final int CANDIDATES = 4_000;
    private static final int PERMANENT = 1_000_000;
    private static final int NAMESPACES = 3;

    @Test
    void ipv4ReaderNeverSeesAValueThatWasNeverValid() throws Exception {
        final SplittableRandom random = new SplittableRandom(11);
        final int[] ns = new int[CANDIDATES];
        final int[] prefix = new int[CANDIDATES];
        final int[] length = new int[CANDIDATES];
        for (int i = 0; i < CANDIDATES; i++) {
            ns[i] = random.nextInt(NAMESPACES);
            length[i] = i % 10 == 0 ? 9 + random.nextInt(7) : 16 + random.nextInt(17);
            final int address = 0xC600_0000 | (random.nextInt(4) << 16) | (random.nextInt() & 0x0000_0F3F);
            prefix[i] = address & Ipv4RouteTable.mask(length[i]);
        }
        final int[] probes = new int[256];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = 0xC600_0000 | (random.nextInt(4) << 16) | (random.nextInt() & 0x0000_0F3F);
        }
        // 16 chunks (32 index slots) for the 15 keys in use: removals often leave 8 dead slots, so the
        // index is purged under the reader too.
        try (Ipv4RouteTable table = new Ipv4RouteTable(CANDIDATES + NAMESPACES, 16)) {
            for (int n = 0; n < NAMESPACES; n++) {
                table.add(n, 0xC600_0000, 8, PERMANENT + n);
            }
            final AtomicBoolean done = new AtomicBoolean();
            final AtomicReference<String> failure = new AtomicReference<>();
            final AtomicLong lookups = new AtomicLong();
            final Thread reader = new Thread(() -> {
                final int[] burstNs = new int[32];
                final int[] burstAddresses = new int[32];
                final int[] values = new int[32];
                long count = 0;
                int round = 0;
                while (!done.get() && failure.get() == null) {
                    round++;
                    for (int i = 0; i < probes.length; i++) {
                        final int n = (i + round) % NAMESPACES;
                        check4(n, probes[i], table.lookup(n, probes[i]), ns, prefix, length, failure);
                    }
                    for (int i = 0; i < 32; i++) {
                        burstNs[i] = (i + round) % NAMESPACES;
                        burstAddresses[i] = probes[(i * 7 + round) & 255];
                    }
                    table.lookupBurst(burstNs, burstAddresses, values, 32);
                    for (int i = 0; i < 32; i++) {
                        check4(burstNs[i], burstAddresses[i], values[i], ns, prefix, length, failure);
                    }
                    count += probes.length + 32;
                }
                lookups.set(count);
            }, "route-reader");
            reader.start();
            final boolean[] present = new boolean[CANDIDATES];
            final long deadline = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
            int writes = 0;
            try {
                while (writes < WRITES && System.nanoTime() - deadline < 0 && failure.get() == null) {
                    final int c = random.nextInt(CANDIDATES);
                    if (present[c]) {
                        table.remove(ns[c], prefix[c], length[c]);
                    } else {
                        table.add(ns[c], prefix[c], length[c], c); // a duplicate prefix just takes the newer id
                    }
                    present[c] = !present[c];
                    writes++;
                }
            } finally {
                done.set(true);
                reader.join(60_000);
            }
            assertNull(failure.get());
            assertTrue(lookups.get() > 0, "the reader ran");
            assertTrue(writes > 10_000, "the writer made " + writes + " changes");
        }
    }

    private static void check4(final int n, final int address, final int value, final int[] ns, final int[] prefix,
                               final int[] length, final AtomicReference<String> failure) {
        if (value == PERMANENT + n) {
            return;
        }
        if (value < 0 || value >= ns.length || ns[value] != n || (address & Ipv4RouteTable.mask(length[value])) != prefix[value]) {
            failure.compareAndSet(null, "ns " + n + " address " + Integer.toHexString(address) + " got " + value);
        }
    }

    @Test
    void ipv6ReaderNeverSeesAValueThatWasNeverValid() throws Exception {
        final SplittableRandom random = new SplittableRandom(12);
        final int[] ns = new int[CANDIDATES];
        final long[] high = new long[CANDIDATES];
        final long[] low = new long[CANDIDATES];
        final int[] length = new int[CANDIDATES];
        for (int i = 0; i < CANDIDATES; i++) {
            ns[i] = random.nextInt(NAMESPACES);
            length[i] = i % 10 == 0 ? 17 + random.nextInt(15) : i % 10 == 1 ? 64 + random.nextInt(65) : 32 + random.nextInt(33);
            final long[] a = address6(random);
            high[i] = a[0] & Ipv6RouteTable.maskHigh(length[i]);
            low[i] = a[1] & Ipv6RouteTable.maskLow(length[i]);
        }
        final long[][] probes = new long[256][];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = address6(random);
        }
        try (Ipv6RouteTable table = new Ipv6RouteTable(CANDIDATES + NAMESPACES)) {
            for (int n = 0; n < NAMESPACES; n++) {
                table.add(n, 0x2001_0000_0000_0000L, 0, 16, PERMANENT + n);
            }
            final AtomicBoolean done = new AtomicBoolean();
            final AtomicReference<String> failure = new AtomicReference<>();
            final AtomicLong lookups = new AtomicLong();
            final Thread reader = new Thread(() -> {
                long count = 0;
                int round = 0;
                while (!done.get() && failure.get() == null) {
                    round++;
                    for (int i = 0; i < probes.length; i++) {
                        final int n = (i + round) % NAMESPACES;
                        final long h = probes[i][0];
                        final long l = probes[i][1];
                        final int value = table.lookup(n, h, l);
                        if (value == PERMANENT + n) {
                            continue;
                        }
                        if (value < 0 || value >= CANDIDATES || ns[value] != n || (h & Ipv6RouteTable.maskHigh(length[value])) != high[value]
                            || (l & Ipv6RouteTable.maskLow(length[value])) != low[value]) {
                            failure.compareAndSet(null, "ns " + n + " address " + Long.toHexString(h) + ":" + Long.toHexString(l) + " got " + value);
                        }
                    }
                    count += probes.length;
                }
                lookups.set(count);
            }, "route-reader-6");
            reader.start();
            final boolean[] present = new boolean[CANDIDATES];
            final long deadline = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
            int writes = 0;
            try {
                while (writes < WRITES && System.nanoTime() - deadline < 0 && failure.get() == null) {
                    final int c = random.nextInt(CANDIDATES);
                    if (present[c]) {
                        table.remove(ns[c], high[c], low[c], length[c]);
                    } else {
                        table.add(ns[c], high[c], low[c], length[c], c);
                    }
                    present[c] = !present[c];
                    writes++;
                }
            } finally {
                done.set(true);
                reader.join(60_000);
            }
            assertNull(failure.get());
            assertTrue(lookups.get() > 0, "the reader ran");
            assertTrue(writes > 10_000, "the writer made " + writes + " changes");
            assertEquals(PERMANENT, table.lookup(0, 0x2001_ffff_0000_0000L, 0));
        }
    }

    /** In 2001:0db8..2001:0dbb, a few distinct /48s and /64s, hosts spread. */
    private static long[] address6(final SplittableRandom random) {
        final long high = 0x2001_0db8_0000_0000L | ((long) random.nextInt(4) << 32) | ((long) random.nextInt(8) << 16) | random.nextInt(4);
        final long low = random.nextInt(2) == 0 ? random.nextLong() : random.nextInt(16);
        return new long[] {high, low};
    }
}
