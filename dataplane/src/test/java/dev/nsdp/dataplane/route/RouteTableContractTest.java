package dev.nsdp.dataplane.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The route tables' contract: longest match, namespaces isolated, exact get/remove, bad prefixes refused. */
class RouteTableContractTest {
    private static int v4(final int a, final int b, final int c, final int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    @Test
    void ipv4LongestPrefixWinsAndNamespacesAreIsolated() {
        final Ipv4RouteTable t = new Ipv4RouteTable(100);
        t.add(1, 0, 0, 7);
        t.add(1, v4(198, 18, 0, 0), 15, 10);
        t.add(1, v4(198, 18, 1, 0), 24, 11);
        t.add(1, v4(198, 18, 1, 9), 32, 12);
        t.add(2, v4(198, 18, 1, 0), 24, 21);
        assertEquals(12, t.lookup(1, v4(198, 18, 1, 9)));
        assertEquals(11, t.lookup(1, v4(198, 18, 1, 8)));
        assertEquals(10, t.lookup(1, v4(198, 19, 255, 1)));
        assertEquals(7, t.lookup(1, v4(203, 0, 113, 1)));
        assertEquals(21, t.lookup(2, v4(198, 18, 1, 9)));
        assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(2, v4(198, 18, 2, 9)));
        assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(3, v4(198, 18, 1, 9)));
        t.add(1, v4(198, 18, 1, 0), 24, 13);
        assertEquals(13, t.get(1, v4(198, 18, 1, 0), 24));
        assertEquals(5, t.size());
        assertTrue(t.remove(1, v4(198, 18, 1, 9), 32));
        assertFalse(t.remove(1, v4(198, 18, 1, 9), 32));
        assertEquals(13, t.lookup(1, v4(198, 18, 1, 9)));
        t.removeNamespace(1);
        assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(1, v4(198, 18, 1, 9)));
        assertEquals(1, t.size());
        assertThrows(IllegalArgumentException.class, () -> t.add(1, v4(198, 18, 1, 1), 24, 1));
        assertThrows(IllegalArgumentException.class, () -> t.add(1, 0, 33, 1));
    }

    @Test
    void ipv6LongestPrefixWinsAcrossTheHalves() {
        final Ipv6RouteTable t = new Ipv6RouteTable(100);
        final long db8 = 0x2001_0db8_0000_0000L;
        t.add(1, 0, 0, 0, 1);
        t.add(1, db8, 0, 32, 2);
        t.add(1, db8 | 0x0001_0000L, 0, 48, 3);
        t.add(1, db8 | 0x0001_0000L, 0x1200_0000_0000_0000L, 72, 4);
        t.add(1, db8 | 0x0001_0000L, 5, 128, 5);
        assertEquals(5, t.lookup(1, db8 | 0x0001_0000L, 5));
        assertEquals(3, t.lookup(1, db8 | 0x0001_0000L, 6));
        assertEquals(4, t.lookup(1, db8 | 0x0001_0000L, 0x12ff_0000_0000_0001L));
        assertEquals(2, t.lookup(1, db8 | 0x0002_0000L, 6));
        assertEquals(1, t.lookup(1, 0xfd00_0000_0000_0000L, 6));
        assertEquals(Ipv6RouteTable.NO_ROUTE, t.lookup(2, db8, 6));
        assertThrows(IllegalArgumentException.class, () -> t.add(1, db8, 1, 64, 1));
    }
}
