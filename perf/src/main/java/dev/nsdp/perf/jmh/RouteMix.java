package dev.nsdp.perf.jmh;

import dev.nsdp.dataplane.route.Ipv4RouteTable;
import dev.nsdp.dataplane.route.Ipv6RouteTable;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Deterministic Internet-like route sets for the route benchmarks (same seed, same table).
 * <ul>
 * <li>IPv4: lengths 58% /24, 36% /16-/23 (6% each of /23, /22, /21, /20; 4% each of /19, /18;
 *     2% /17; 2% /16), 1% /8-/15, 5% /25-/32; prefixes uniform over the whole space, so about 12
 *     per /16 on 800k (the DFZ has ~60% /24 and few longer than /24; the /25-/32 share stands for
 *     a provider's internal routes).</li>
 * <li>IPv6: lengths 50% /48, 35% /32-/47, 13% /56-/64, 2% /128, under 25,000 allocation /32s
 *     drawn from 2000::/3 (prefixes cluster under their allocations, as in the DFZ).</li>
 * </ul>
 * Lookup addresses are hosts inside random prefixes of the set: every lookup hits a route (its
 * longest match may be a longer route nested in the drawn one).
 */
final class RouteMix {
    private RouteMix() {
    }

    static int ipv4Length(final SplittableRandom random) {
        final int r = random.nextInt(100);
        if (r < 58) {
            return 24;
        }
        if (r < 94) {
            final int s = r - 58; // 36 points over /16-/23
            return s < 6 ? 23 : s < 12 ? 22 : s < 18 ? 21 : s < 24 ? 20 : s < 28 ? 19 : s < 32 ? 18 : s < 34 ? 17 : 16;
        }
        if (r < 95) {
            return 8 + random.nextInt(8);
        }
        return 25 + random.nextInt(8);
    }

    /** {@code count} distinct IPv4 prefixes: [i] = prefix, [count + i] = length. */
    static int[] ipv4Prefixes(final int count, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final Set<Long> seen = new HashSet<>(count * 2);
        final int[] out = new int[2 * count];
        int n = 0;
        while (n < count) {
            final int length = ipv4Length(random);
            final int prefix = random.nextInt() & Ipv4RouteTable.mask(length);
            if (seen.add((long) length << 32 | (prefix & 0xFFFF_FFFFL))) {
                out[n] = prefix;
                out[count + n] = length;
                n++;
            }
        }
        return out;
    }

    /** A host address inside prefix {@code i} of {@code prefixes}. */
    static int ipv4Host(final int[] prefixes, final int count, final int i, final SplittableRandom random) {
        return prefixes[i] | (random.nextInt() & ~Ipv4RouteTable.mask(prefixes[count + i]));
    }

    static int ipv6Length(final SplittableRandom random) {
        final int r = random.nextInt(100);
        return r < 50 ? 48 : r < 85 ? 32 + random.nextInt(16) : r < 98 ? 56 + random.nextInt(9) : 128;
    }

    /** {@code count} distinct IPv6 prefixes: [0] highs, [1] lows, [2] lengths (as longs). */
    static long[][] ipv6Prefixes(final int count, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] allocations = new long[25_000];
        for (int i = 0; i < allocations.length; i++) {
            allocations[i] = (0x2000_0000L | (random.nextInt() & 0x1FFF_FFFFL)) << 32;
        }
        final Set<String> seen = new HashSet<>(count * 2);
        final long[][] out = new long[3][count];
        int n = 0;
        while (n < count) {
            final int length = ipv6Length(random);
            final long high = (allocations[random.nextInt(allocations.length)] | (random.nextLong() & 0xFFFF_FFFFL))
                & Ipv6RouteTable.maskHigh(length);
            final long low = random.nextLong() & Ipv6RouteTable.maskLow(length);
            if (seen.add(high + ":" + low + "/" + length)) {
                out[0][n] = high;
                out[1][n] = low;
                out[2][n] = length;
                n++;
            }
        }
        return out;
    }
}
