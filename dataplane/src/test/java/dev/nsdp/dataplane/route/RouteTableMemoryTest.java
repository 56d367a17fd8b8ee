package dev.nsdp.dataplane.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The stated memory bound, built for real: 10,000 namespaces x 1,000 IPv4 routes each (10 million
 * routes) fit in {@link #BOUND_BYTES}. Each namespace's routes fall in 32 /16s of its own (a site
 * or tenant with a few address blocks) with an Internet-like length mix: 60% /24, 25% /17-/23,
 * 5% /16, 6% /25-/32, 4% /8-/15. Chunks: at most 32 (top 16) + 32 (top 8) per namespace.
 */
class RouteTableMemoryTest {
    static final int NAMESPACES = 10_000;
    static final int ROUTES_PER_NAMESPACE = 1_000;
    static final int BLOCKS_PER_NAMESPACE = 32;
    /** 48 bytes per route: see Ipv4RouteTable's javadoc and docs/PERFORMANCE.md. */
    static final long BOUND_BYTES = 48L * NAMESPACES * ROUTES_PER_NAMESPACE;

    static int lengthOf(final SplittableRandom random) {
        final int r = random.nextInt(100);
        if (r < 60) {
            return 24;
        }
        if (r < 85) {
            return 17 + random.nextInt(7);
        }
        if (r < 90) {
            return 16;
        }
        if (r < 96) {
            return 25 + random.nextInt(8);
        }
        return 8 + random.nextInt(8);
    }

    @Test
    void tenThousandNamespacesOfAThousandRoutesFitTheBound() {
        final long routes = (long) NAMESPACES * ROUTES_PER_NAMESPACE;
        try (Ipv4RouteTable table = new Ipv4RouteTable(routes, (long) NAMESPACES * (2 * BLOCKS_PER_NAMESPACE + 1))) {
            final SplittableRandom random = new SplittableRandom(2026);
            final int[] tops = new int[BLOCKS_PER_NAMESPACE];
            final int[] sample = new int[NAMESPACES];
            final int[] sampleValue = new int[NAMESPACES];
            for (int ns = 0; ns < NAMESPACES; ns++) {
                for (int b = 0; b < tops.length; b++) {
                    tops[b] = random.nextInt(0x10000);
                }
                for (int i = 0; i < ROUTES_PER_NAMESPACE; i++) {
                    int length;
                    int prefix;
                    do { // distinct routes: redraw a prefix the namespace has already
                        length = lengthOf(random);
                        prefix = ((tops[random.nextInt(tops.length)] << 16) | (random.nextInt() & 0xFFFF)) & Ipv4RouteTable.mask(length);
                    } while (table.get(ns, prefix, length) != Ipv4RouteTable.NO_ROUTE);
                    table.add(ns, prefix, length, i);
                    if (length == 32) {
                        sample[ns] = prefix;
                        sampleValue[ns] = i;
                    }
                }
            }
            final long bytes = table.memoryBytes();
            System.out.printf("IPv4 %,d namespaces x %,d routes: %,d routes stored, memoryBytes %,d (%.1f bytes/route),"
                    + " live blocks %,d (%.1f bytes/route)%n", NAMESPACES, ROUTES_PER_NAMESPACE, table.size(), bytes,
                (double) bytes / table.size(), table.liveBlockBytes(), (double) table.liveBlockBytes() / table.size());
            assertEquals(routes, table.size());
            assertTrue(bytes <= BOUND_BYTES, "memoryBytes " + bytes + " > bound " + BOUND_BYTES);
            for (int ns = 0; ns < NAMESPACES; ns += 97) {
                if (sample[ns] != 0) {
                    assertEquals(sampleValue[ns], table.lookup(ns, sample[ns]));
                }
            }
        }
    }
}
