package dev.nsdp.dataplane.table;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One writer learning, removing, aging and flushing in a small, crowded table (long probe runs,
 * constant backward shifts, slots reused by other keys) while other threads look up and walk it.
 * Every port the writer stores is a function of the key, so a reader that ever pairs a key with a
 * value written for another key sees a port that is not that function.
 */
class MacTableConcurrencyTest {
    private static final int KEYS = 3000;
    private static final int WRITER_OPERATIONS = 3_000_000;

    private static int namespaceOf(final int k) {
        return 3 + (k & 1);
    }

    private static long macOf(final int k) {
        return 0x0200_0000_0000L + k * 0x10001L;
    }

    /** The port the writer always stores for (ns, mac): never the same for near keys. */
    private static int portOf(final int ns, final long mac) {
        return (int) (MacTable.mix(mac * 31 + ns) & 0xFFF);
    }

    @Test
    void readersNeverSeeATornEntry() throws InterruptedException {
        try (MacTable table = new MacTable(1024, 1 << 20, 5)) {
            final AtomicBoolean done = new AtomicBoolean();
            final AtomicReference<String> failure = new AtomicReference<>();
            final AtomicLong lookups = new AtomicLong();
            final AtomicLong hits = new AtomicLong();
            final AtomicLong walked = new AtomicLong();

            final Thread reader = new Thread(() -> {
                final SplittableRandom random = new SplittableRandom(2);
                final int[] burstNamespaces = new int[32];
                final long[] burstMacs = new long[32];
                final int[] burstPorts = new int[32];
                long n = 0;
                long found = 0;
                do { // at least one round, however the threads are scheduled
                    for (int k = 0; k < 32; k++) {
                        final int key = random.nextInt(KEYS);
                        burstNamespaces[k] = namespaceOf(key);
                        burstMacs[k] = macOf(key);
                    }
                    table.lookupBurst(32, burstNamespaces, burstMacs, burstPorts);
                    for (int k = 0; k < 32; k++) {
                        if (burstPorts[k] != MacTable.MISS && burstPorts[k] != portOf(burstNamespaces[k], burstMacs[k])) {
                            failure.compareAndSet(null, "lookupBurst: mac " + Long.toHexString(burstMacs[k]) + " gave port " + burstPorts[k]);
                        }
                    }
                    for (int i = 0; i < 1000; i++) {
                        final int k = random.nextInt(KEYS);
                        final int ns = namespaceOf(k);
                        final long mac = macOf(k);
                        final int port = table.lookup(ns, mac);
                        if (port != MacTable.MISS) {
                            found++;
                            if (port != portOf(ns, mac)) {
                                failure.compareAndSet(null, "lookup: key " + k + " gave port " + port);
                            }
                        }
                    }
                    n += 1000;
                } while (!done.get() && failure.get() == null);
                lookups.set(n);
                hits.set(found);
            }, "mac-reader");

            final Thread walker = new Thread(() -> {
                long n = 0;
                do {
                    n += table.forEach((ns, mac, port, isStatic, lastSeen) -> {
                        if (port != portOf(ns, mac) || (ns != 3 && ns != 4)) {
                            failure.compareAndSet(null, "walk: ns " + ns + " mac " + Long.toHexString(mac) + " port " + port);
                        }
                    });
                } while (!done.get() && failure.get() == null);
                walked.set(n);
            }, "mac-walker");

            reader.start();
            walker.start();
            final SplittableRandom random = new SplittableRandom(1);
            int now = 0;
            try {
                for (int op = 0; op < WRITER_OPERATIONS && failure.get() == null; op++) {
                    final int k = random.nextInt(KEYS);
                    final int ns = namespaceOf(k);
                    final long mac = macOf(k);
                    final int kind = random.nextInt(100);
                    if (kind < 55) {
                        table.learn(ns, mac, portOf(ns, mac), now);
                    } else if (kind < 95) {
                        table.remove(ns, mac);
                    } else if (kind < 99) {
                        table.age(now++, 64); // aging time is 5 ms: the sweep removes a lot
                    } else if (random.nextInt(100) == 0) {
                        table.flushNamespace(ns);
                    }
                }
            } finally {
                done.set(true);
                reader.join(10_000);
                walker.join(10_000);
            }
            assertNull(failure.get());
            assertTrue(lookups.get() > 0 && hits.get() > 0, "the reader ran and found entries: " + lookups + "/" + hits);
            assertTrue(walked.get() > 0, "the walker saw entries");
            assertTrue(table.agedOutCount() > 0 && table.removedCount() > 0);
        }
    }
}
