package dev.nsdp.dataplane.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nsdp.dataplane.testing.Allocations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both route tables against a brute-force reference (a map of exact prefixes, longest match found
 * by trying every length) on random route sets with adds, replaces and removes across several
 * namespaces; plus edge cases, refused input and a full table leaving everything unchanged.
 */
class RouteTableReferenceTest {
    private static final int[] NAMESPACES = {0, 1, 2, 777, 65_535};

    /** The IPv4 reference: (ns, prefix, length) -> value. */
    private static final class Reference4 {
        final Map<Long, Integer> routes = new HashMap<>();

        static long key(final int ns, final int prefix, final int length) {
            return (long) ns << 40 | (long) length << 32 | (prefix & 0xFFFF_FFFFL);
        }

        int lookup(final int ns, final int address) {
            for (int length = 32; length >= 0; length--) {
                final Integer v = routes.get(key(ns, address & Ipv4RouteTable.mask(length), length));
                if (v != null) {
                    return v;
                }
            }
            return Ipv4RouteTable.NO_ROUTE;
        }
    }

    private static int randomPrefix4(final SplittableRandom random, final int[] bases, final int length) {
        int address = bases[random.nextInt(bases.length)];
        address ^= random.nextInt() & 0x0000_FFFF; // stay near the base: routes nest and share chunks
        if (random.nextInt(8) == 0) {
            address = random.nextInt();
        }
        return address & Ipv4RouteTable.mask(length);
    }

    private static int randomLength4(final SplittableRandom random) {
        final int r = random.nextInt(20);
        return r < 2 ? random.nextInt(16) : r < 4 ? 32 : 16 + random.nextInt(17);
    }

    @Test
    void ipv4MatchesBruteForceUnderRandomAddsAndRemoves() {
        final SplittableRandom random = new SplittableRandom(42);
        final int[] bases = {0xC612_0000, 0xC613_0000, 0x0A00_0000, 0xFFFF_0000, 0};
        try (Ipv4RouteTable table = new Ipv4RouteTable(10_000)) {
            final Reference4 reference = new Reference4();
            final List<long[]> present = new ArrayList<>();
            for (int step = 0; step < 20_000; step++) {
                final int ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
                if (random.nextInt(3) == 0 && !present.isEmpty()) {
                    final long[] r = present.remove(random.nextInt(present.size()));
                    reference.routes.remove(Reference4.key((int) r[0], (int) r[1], (int) r[2]));
                    assertTrue(table.remove((int) r[0], (int) r[1], (int) r[2]));
                } else {
                    final int length = randomLength4(random);
                    final int prefix = randomPrefix4(random, bases, length);
                    final int value = random.nextInt(1000);
                    if (reference.routes.put(Reference4.key(ns, prefix, length), value) == null) {
                        present.add(new long[] {ns, prefix, length});
                    }
                    table.add(ns, prefix, length, value);
                }
                assertEquals(reference.routes.size(), table.size());
                for (int probe = 0; probe < 8; probe++) {
                    final int pns = NAMESPACES[random.nextInt(NAMESPACES.length)];
                    final int address = randomPrefix4(random, bases, 32) ^ random.nextInt(4);
                    assertEquals(reference.lookup(pns, address), table.lookup(pns, address),
                        () -> "ns " + pns + " address " + Integer.toHexString(address));
                }
                if (!present.isEmpty() && step % 16 == 0) {
                    final long[] r = present.get(random.nextInt(present.size()));
                    assertEquals(reference.routes.get(Reference4.key((int) r[0], (int) r[1], (int) r[2])).intValue(),
                        table.get((int) r[0], (int) r[1], (int) r[2]));
                }
            }
            // A burst answers as single lookups do, namespaces out of range included.
            final int n = 256;
            final int[] ns = new int[n];
            final int[] addresses = new int[n];
            final int[] values = new int[n];
            for (int i = 0; i < n; i++) {
                ns[i] = i == 7 ? 70_000 : NAMESPACES[random.nextInt(NAMESPACES.length)];
                addresses[i] = randomPrefix4(random, bases, 32);
            }
            table.lookupBurst(ns, addresses, values, n);
            for (int i = 0; i < n; i++) {
                assertEquals(i == 7 ? Ipv4RouteTable.NO_ROUTE : reference.lookup(ns[i], addresses[i]), values[i]);
            }
            for (final int namespace : NAMESPACES) {
                table.removeNamespace(namespace);
                reference.routes.keySet().removeIf(k -> (k >>> 40) == namespace);
                assertEquals(reference.routes.size(), table.size());
                for (int probe = 0; probe < 200; probe++) {
                    final int address = randomPrefix4(random, bases, 32);
                    assertEquals(Ipv4RouteTable.NO_ROUTE, table.lookup(namespace, address));
                }
            }
            assertEquals(0, table.size());
            assertEquals(0, table.liveBlockBytes());
        }
    }

    /** The IPv6 reference. */
    private static final class Reference6 {
        record Key(int ns, long high, long low, int length) {
        }

        final Map<Key, Integer> routes = new HashMap<>();

        int lookup(final int ns, final long high, final long low) {
            for (int length = 128; length >= 0; length--) {
                final Integer v = routes.get(new Key(ns, high & Ipv6RouteTable.maskHigh(length), low & Ipv6RouteTable.maskLow(length), length));
                if (v != null) {
                    return v;
                }
            }
            return Ipv6RouteTable.NO_ROUTE;
        }
    }

    private static int randomLength6(final SplittableRandom random) {
        final int r = random.nextInt(20);
        return r < 2 ? random.nextInt(32) : r < 4 ? 128 : r < 6 ? 64 + random.nextInt(65) : 32 + random.nextInt(33);
    }

    @Test
    void ipv6MatchesBruteForceUnderRandomAddsAndRemoves() {
        final SplittableRandom random = new SplittableRandom(6);
        final long[] bases = {0x2001_0db8_0000_0000L, 0x2001_0db9_0000_0000L, 0xfd00_0000_0000_0000L, -1L << 32, 0};
        try (Ipv6RouteTable table = new Ipv6RouteTable(10_000)) {
            final Reference6 reference = new Reference6();
            final List<Reference6.Key> present = new ArrayList<>();
            for (int step = 0; step < 20_000; step++) {
                final int ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
                if (random.nextInt(3) == 0 && !present.isEmpty()) {
                    final Reference6.Key k = present.remove(random.nextInt(present.size()));
                    reference.routes.remove(k);
                    assertTrue(table.remove(k.ns(), k.high(), k.low(), k.length()));
                } else {
                    final int length = randomLength6(random);
                    final long[] address = randomAddress6(random, bases);
                    final Reference6.Key k = new Reference6.Key(ns, address[0] & Ipv6RouteTable.maskHigh(length),
                        address[1] & Ipv6RouteTable.maskLow(length), length);
                    final int value = random.nextInt(1000);
                    if (reference.routes.put(k, value) == null) {
                        present.add(k);
                    }
                    table.add(k.ns(), k.high(), k.low(), k.length(), value);
                }
                assertEquals(reference.routes.size(), table.size());
                for (int probe = 0; probe < 8; probe++) {
                    final int pns = NAMESPACES[random.nextInt(NAMESPACES.length)];
                    final long[] a = randomAddress6(random, bases);
                    assertEquals(reference.lookup(pns, a[0], a[1]), table.lookup(pns, a[0], a[1]),
                        () -> "ns " + pns + " address " + Long.toHexString(a[0]) + ":" + Long.toHexString(a[1]));
                }
                if (!present.isEmpty() && step % 16 == 0) {
                    final Reference6.Key k = present.get(random.nextInt(present.size()));
                    assertEquals(reference.routes.get(k).intValue(), table.get(k.ns(), k.high(), k.low(), k.length()));
                }
            }
            final int n = 128;
            final int[] ns = new int[n];
            final long[] highs = new long[n];
            final long[] lows = new long[n];
            final int[] values = new int[n];
            for (int i = 0; i < n; i++) {
                ns[i] = NAMESPACES[random.nextInt(NAMESPACES.length)];
                final long[] a = randomAddress6(random, bases);
                highs[i] = a[0];
                lows[i] = a[1];
            }
            table.lookupBurst(ns, highs, lows, values, n);
            for (int i = 0; i < n; i++) {
                assertEquals(reference.lookup(ns[i], highs[i], lows[i]), values[i]);
            }
            for (final int namespace : NAMESPACES) {
                table.removeNamespace(namespace);
            }
            assertEquals(0, table.size());
            assertEquals(0, table.liveBlockBytes());
        }
    }

    /** Near a base: the top 32 bits of a base, a few varied bits below, sometimes random everywhere. */
    private static long[] randomAddress6(final SplittableRandom random, final long[] bases) {
        long high = bases[random.nextInt(bases.length)] | (random.nextLong() & 0x0000_0000_0003_0000L);
        long low = random.nextInt(4) == 0 ? random.nextLong() : random.nextLong() & 0xFFL;
        if (random.nextInt(8) == 0) {
            high = random.nextLong();
        }
        if (random.nextInt(4) == 0) {
            high |= random.nextLong() & 0xFFFFL;
        }
        return new long[] {high, low};
    }

    private static int v4(final int a, final int b, final int c, final int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    @Test
    void chunkRemovalsAndIndexPurgesKeepEveryOtherChunk() {
        // 8 chunks: 16 index slots, purged whenever more than 4 are dead.
        final SplittableRandom random = new SplittableRandom(3);
        try (Ipv4RouteTable t = new Ipv4RouteTable(1_000, 8)) {
            final Reference4 reference = new Reference4();
            final int[] tops = new int[8];
            for (int round = 0; round < 2_000; round++) {
                final int i = random.nextInt(tops.length);
                if (tops[i] != 0) {
                    assertTrue(t.remove(i, tops[i] << 16, 16));
                    reference.routes.remove(Reference4.key(i, tops[i] << 16, 16));
                }
                tops[i] = 1 + random.nextInt(0xFFFE);
                t.add(i, tops[i] << 16, 16, round);
                reference.routes.put(Reference4.key(i, tops[i] << 16, 16), round);
                for (int j = 0; j < tops.length; j++) {
                    final int address = (tops[j] << 16) | random.nextInt(0x10000);
                    assertEquals(reference.lookup(j, address), t.lookup(j, address));
                }
            }
            assertEquals(8, t.size());
        }
    }

    @Test
    void ipv4EdgeCases() {
        try (Ipv4RouteTable t = new Ipv4RouteTable(100)) {
            t.add(3, 0, 0, 100);
            assertEquals(100, t.lookup(3, 0));
            assertEquals(100, t.lookup(3, -1));
            t.add(3, -1, 32, 101);
            t.add(3, 0, 32, 102);
            assertEquals(101, t.lookup(3, -1));
            assertEquals(102, t.lookup(3, 0));
            assertEquals(100, t.lookup(3, 1));
            assertEquals(100, t.lookup(3, -2));
            // Nested chain; removing the middle restores the next shorter.
            t.add(3, v4(198, 18, 0, 0), 15, 1);
            t.add(3, v4(198, 18, 0, 0), 16, 2);
            t.add(3, v4(198, 18, 4, 0), 22, 3);
            t.add(3, v4(198, 18, 5, 0), 24, 4);
            t.add(3, v4(198, 18, 5, 128), 25, 5);
            assertEquals(5, t.lookup(3, v4(198, 18, 5, 200)));
            assertTrue(t.remove(3, v4(198, 18, 5, 0), 24));
            assertEquals(5, t.lookup(3, v4(198, 18, 5, 200)));
            assertEquals(3, t.lookup(3, v4(198, 18, 5, 1)));
            assertTrue(t.remove(3, v4(198, 18, 4, 0), 22));
            assertEquals(2, t.lookup(3, v4(198, 18, 5, 1)));
            assertTrue(t.remove(3, v4(198, 18, 0, 0), 16));
            assertEquals(1, t.lookup(3, v4(198, 18, 5, 1)));
            assertEquals(1, t.lookup(3, v4(198, 19, 5, 1)));
            assertTrue(t.remove(3, v4(198, 18, 0, 0), 15));
            assertEquals(100, t.lookup(3, v4(198, 18, 5, 1)));
            assertEquals(5, t.lookup(3, v4(198, 18, 5, 129)));
            // Replacing keeps the size; value MAX_VALUE and 0 are values like any other.
            final long size = t.size();
            t.add(3, 0, 0, Integer.MAX_VALUE);
            t.add(3, v4(198, 18, 5, 128), 25, 0);
            assertEquals(size, t.size());
            assertEquals(Integer.MAX_VALUE, t.lookup(3, 7));
            assertEquals(0, t.lookup(3, v4(198, 18, 5, 129)));
            assertEquals(Integer.MAX_VALUE, t.get(3, 0, 0));
            assertEquals(Ipv4RouteTable.NO_ROUTE, t.get(3, v4(198, 18, 5, 0), 24));
            assertFalse(t.remove(3, v4(198, 18, 5, 0), 24));
            assertFalse(t.remove(4, 0, 0));
            // Same prefixes in other namespaces with other values: isolated.
            t.add(4, v4(198, 18, 5, 128), 25, 44);
            t.add(65_535, v4(198, 18, 5, 128), 25, 55);
            assertEquals(0, t.lookup(3, v4(198, 18, 5, 129)));
            assertEquals(44, t.lookup(4, v4(198, 18, 5, 129)));
            assertEquals(55, t.lookup(65_535, v4(198, 18, 5, 129)));
            assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(4, v4(198, 18, 5, 1)));
            assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(5, v4(198, 18, 5, 129)));
            assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(-1, v4(198, 18, 5, 129)));
            assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(65_536, v4(198, 18, 5, 129)));
            t.removeNamespace(4);
            assertEquals(0, t.lookup(3, v4(198, 18, 5, 129)));
            assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(4, v4(198, 18, 5, 129)));
            assertEquals(55, t.lookup(65_535, v4(198, 18, 5, 129)));
        }
    }

    @Test
    void ipv6EdgeCases() {
        final long db8 = 0x2001_0db8_0000_0000L;
        try (Ipv6RouteTable t = new Ipv6RouteTable(100)) {
            t.add(9, 0, 0, 0, 100);
            t.add(9, -1L, -1L, 128, 101);
            t.add(9, 0, 0, 128, 102);
            assertEquals(101, t.lookup(9, -1L, -1L));
            assertEquals(102, t.lookup(9, 0, 0));
            assertEquals(100, t.lookup(9, 0, 1));
            assertEquals(100, t.lookup(9, -1L, -2L));
            t.add(9, db8, 0, 31, 1);
            t.add(9, db8, 0, 32, 2);
            t.add(9, db8 | 0x0001_0000L, 0, 48, 3);
            t.add(9, db8 | 0x0001_0000L, 0, 64, 4);
            t.add(9, db8 | 0x0001_0000L, 0x8000_0000_0000_0000L, 65, 5);
            t.add(9, db8 | 0x0001_0000L, 0x8000_0000_0000_0001L, 128, 6);
            assertEquals(6, t.lookup(9, db8 | 0x0001_0000L, 0x8000_0000_0000_0001L));
            assertEquals(5, t.lookup(9, db8 | 0x0001_0000L, 0x8000_0000_0000_0002L));
            assertEquals(4, t.lookup(9, db8 | 0x0001_0000L, 1));
            assertEquals(3, t.lookup(9, db8 | 0x0001_0001L, 1));
            assertTrue(t.remove(9, db8 | 0x0001_0000L, 0x8000_0000_0000_0000L, 65));
            assertEquals(4, t.lookup(9, db8 | 0x0001_0000L, 0x8000_0000_0000_0002L));
            assertTrue(t.remove(9, db8 | 0x0001_0000L, 0, 64));
            assertTrue(t.remove(9, db8 | 0x0001_0000L, 0, 48));
            assertEquals(2, t.lookup(9, db8 | 0x0001_0000L, 1));
            assertEquals(6, t.lookup(9, db8 | 0x0001_0000L, 0x8000_0000_0000_0001L));
            assertTrue(t.remove(9, db8, 0, 32));
            assertEquals(1, t.lookup(9, db8 | 0x0001_0000L, 1));
            assertEquals(1, t.lookup(9, 0x2001_0db9_0000_0000L, 1));
            assertTrue(t.remove(9, db8, 0, 31));
            assertEquals(100, t.lookup(9, db8 | 0x0001_0000L, 1));
            t.add(10, db8 | 0x0001_0000L, 0x8000_0000_0000_0001L, 128, 60);
            assertEquals(6, t.lookup(9, db8 | 0x0001_0000L, 0x8000_0000_0000_0001L));
            assertEquals(60, t.lookup(10, db8 | 0x0001_0000L, 0x8000_0000_0000_0001L));
            assertEquals(Ipv6RouteTable.NO_ROUTE, t.lookup(10, db8 | 0x0001_0000L, 0x8000_0000_0000_0002L));
            t.add(9, 0, 0, 0, 7);
            assertEquals(7, t.get(9, 0, 0, 0));
            assertEquals(7, t.lookup(9, 5, 5));
            assertEquals(Ipv6RouteTable.NO_ROUTE, t.lookup(65_536, 5, 5));
        }
    }

    @Test
    void badInputIsRefusedWithAClearMessageAndChangesNothing() {
        try (Ipv4RouteTable t = new Ipv4RouteTable(100); Ipv6RouteTable t6 = new Ipv6RouteTable(100)) {
            t.add(1, v4(198, 18, 1, 0), 24, 5);
            t6.add(1, 0x2001_0db8_0000_0000L, 0, 32, 5);
            assertMessage("IPv4 prefix length must be 0..32: 33", assertThrows(IllegalArgumentException.class, () -> t.add(1, 0, 33, 1)));
            assertMessage("IPv4 prefix length must be 0..32: -1", assertThrows(IllegalArgumentException.class, () -> t.remove(1, 0, -1)));
            assertMessage("IPv4 prefix has host bits set beyond /24",
                assertThrows(IllegalArgumentException.class, () -> t.add(1, v4(198, 18, 1, 1), 24, 1)));
            assertMessage("route value must be >= 0: -1", assertThrows(IllegalArgumentException.class, () -> t.add(1, v4(198, 18, 1, 0), 24, -1)));
            assertMessage("namespace id must be 0..65535: 65536",
                assertThrows(IllegalArgumentException.class, () -> t.add(65_536, v4(198, 18, 1, 0), 24, 1)));
            assertMessage("namespace id must be 0..65535: -1", assertThrows(IllegalArgumentException.class, () -> t.removeNamespace(-1)));
            assertMessage("IPv6 prefix length must be 0..128: 129",
                assertThrows(IllegalArgumentException.class, () -> t6.add(1, 0, 0, 129, 1)));
            assertMessage("IPv6 prefix has host bits set beyond /64",
                assertThrows(IllegalArgumentException.class, () -> t6.add(1, 0x2001_0db8_0000_0000L, 1, 64, 1)));
            assertMessage("route value must be >= 0: " + Integer.MIN_VALUE,
                assertThrows(IllegalArgumentException.class, () -> t6.add(1, 0x2001_0db8_0000_0000L, 0, 32, Integer.MIN_VALUE)));
            assertMessage("namespace id must be 0..65535: 65536",
                assertThrows(IllegalArgumentException.class, () -> t6.remove(65_536, 0, 0, 0)));
            assertEquals(1, t.size());
            assertEquals(5, t.lookup(1, v4(198, 18, 1, 1)));
            assertEquals(5, t.get(1, v4(198, 18, 1, 0), 24));
            assertEquals(1, t6.size());
            assertEquals(5, t6.lookup(1, 0x2001_0db8_0000_0000L, 1));
            assertEquals(Ipv4RouteTable.NO_ROUTE, t.get(1, v4(198, 18, 1, 1), 24)); // malformed get: no match, no throw
            assertThrows(IllegalArgumentException.class, () -> new Ipv4RouteTable(0));
            assertThrows(IllegalArgumentException.class, () -> new Ipv4RouteTable(10, 11));
        }
    }

    private static void assertMessage(final String expected, final IllegalArgumentException e) {
        assertEquals(expected, e.getMessage());
    }

    @Test
    void aFullTableIsRefusedAndChangesNothing() {
        try (Ipv4RouteTable t = new Ipv4RouteTable(3)) {
            t.add(1, v4(198, 18, 1, 0), 24, 1);
            t.add(1, v4(198, 18, 2, 0), 24, 2);
            t.add(2, 0, 0, 3);
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.add(1, v4(198, 18, 3, 0), 24, 4));
            assertEquals("route table full: 3 routes", e.getMessage());
            assertEquals(3, t.size());
            assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(1, v4(198, 18, 3, 1)));
            assertEquals(1, t.lookup(1, v4(198, 18, 1, 1)));
            t.add(1, v4(198, 18, 1, 0), 24, 9); // replacing still works when full
            assertEquals(9, t.lookup(1, v4(198, 18, 1, 1)));
            assertTrue(t.remove(2, 0, 0));
            t.add(1, v4(198, 18, 3, 0), 24, 4);
            assertEquals(4, t.lookup(1, v4(198, 18, 3, 1)));
        }
        try (Ipv4RouteTable t = new Ipv4RouteTable(10, 2)) {
            t.add(1, v4(198, 18, 1, 0), 24, 1);
            t.add(1, v4(198, 19, 1, 0), 24, 2);
            t.add(1, v4(198, 19, 2, 0), 24, 3); // same chunk: fine
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.add(2, v4(198, 18, 1, 0), 24, 4));
            assertEquals("route table full: 2 chunks (namespace, top 16 bits)", e.getMessage());
            assertEquals(3, t.size());
            assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(2, v4(198, 18, 1, 1)));
        }
        try (Ipv6RouteTable t = new Ipv6RouteTable(2)) {
            t.add(1, 0x2001_0db8_0000_0000L, 0, 48, 1);
            t.add(1, 0x2001_0db8_0001_0000L, 0, 48, 2);
            assertThrows(IllegalStateException.class, () -> t.add(1, 0x2001_0db8_0002_0000L, 0, 48, 3));
            assertEquals(2, t.size());
            assertEquals(Ipv6RouteTable.NO_ROUTE, t.lookup(1, 0x2001_0db8_0002_0000L, 0));
        }
    }

    @Test
    void lookupsDoNotAllocate() {
        final SplittableRandom random = new SplittableRandom(1);
        try (Ipv4RouteTable t = new Ipv4RouteTable(10_000); Ipv6RouteTable t6 = new Ipv6RouteTable(10_000)) {
            final int n = 64;
            final int[] ns = new int[n];
            final int[] addresses = new int[n];
            final long[] highs = new long[n];
            final long[] lows = new long[n];
            final int[] values = new int[n];
            for (int i = 0; i < 5_000; i++) {
                final int length = 8 + random.nextInt(25);
                t.add(i % 4, random.nextInt() & 0xC612_FFFF & Ipv4RouteTable.mask(length), length, i);
                final int length6 = 16 + random.nextInt(113);
                t6.add(i % 4, (0x2001_0db8_0000_0000L | random.nextLong() & 0xFFFF_FFFFL) & Ipv6RouteTable.maskHigh(length6),
                    random.nextLong() & Ipv6RouteTable.maskLow(length6), length6, i);
            }
            for (int i = 0; i < n; i++) {
                ns[i] = i % 5;
                addresses[i] = random.nextInt() & 0xC612_FFFF;
                highs[i] = 0x2001_0db8_0000_0000L | random.nextLong() & 0xFFFF_FFFFL;
                lows[i] = random.nextLong();
            }
            final long[] sink = new long[1];
            final Runnable round = () -> {
                for (int i = 0; i < n; i++) {
                    sink[0] += t.lookup(ns[i], addresses[i]) + t6.lookup(ns[i], highs[i], lows[i]);
                }
                t.lookupBurst(ns, addresses, values, n);
                sink[0] += values[3];
                t6.lookupBurst(ns, highs, lows, values, n);
                sink[0] += values[5];
                sink[0] += t.get(1, 0, 0) + t6.get(1, 0, 0, 0);
            };
            Allocations.warmUpUntilAllocationFree(round);
            final long before = Allocations.allocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                round.run();
            }
            assertEquals(0, Allocations.allocatedBytes() - before, "bytes allocated by 10,000 rounds of lookups");
        }
    }
}
