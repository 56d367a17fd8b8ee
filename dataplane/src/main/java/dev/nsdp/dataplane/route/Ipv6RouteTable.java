package dev.nsdp.dataplane.route;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Longest-prefix match over IPv6 for every namespace; the same contract as {@link Ipv4RouteTable}
 * (one writer thread, lock-free allocation-free readers, values 0..MAX_VALUE, {@link #NO_ROUTE}).
 * An address or prefix is two big-endian longs: bytes 0..7 ({@code high}) and 8..15 ({@code low}),
 * as {@code ParsedPacket} holds them. Lengths are 0..128, host bits must be zero.
 *
 * <p>This first implementation is a stand-in that keeps the contract simply (copy-on-write array
 * per namespace, linear scan); a later change replaces the inside without touching the contract.
 */
public final class Ipv6RouteTable {
    public static final int NO_ROUTE = -1;

    /** Per namespace: entries of four longs (high, low, length, value), sorted by length descending. */
    private final AtomicReferenceArray<long[]> routes = new AtomicReferenceArray<>(65_536);
    private final long capacity;
    private long size;

    public Ipv6RouteTable(final long capacity) {
        this.capacity = capacity;
    }

    /** The mask of the high long for a prefix of {@code length} bits. */
    public static long maskHigh(final int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** The mask of the low long for a prefix of {@code length} bits. */
    public static long maskLow(final int length) {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    public void add(final int ns, final long high, final long low, final int length, final int value) {
        check(high, low, length);
        if (value < 0) {
            throw new IllegalArgumentException("route value must be >= 0: " + value);
        }
        final long[] old = routes.get(ns);
        final int at = indexOf(old, high, low, length);
        if (at >= 0) {
            final long[] copy = old.clone();
            copy[at + 3] = value;
            routes.set(ns, copy);
            return;
        }
        if (size >= capacity) {
            throw new IllegalStateException("route table full: " + capacity + " routes");
        }
        final int n = old == null ? 0 : old.length;
        final long[] copy = new long[n + 4];
        int o = 0;
        while (o < n && old[o + 2] >= length) {
            o += 4;
        }
        if (o > 0) {
            System.arraycopy(old, 0, copy, 0, o);
        }
        copy[o] = high;
        copy[o + 1] = low;
        copy[o + 2] = length;
        copy[o + 3] = value;
        if (n > o) {
            System.arraycopy(old, o, copy, o + 4, n - o);
        }
        routes.set(ns, copy);
        size++;
    }

    public boolean remove(final int ns, final long high, final long low, final int length) {
        check(high, low, length);
        final long[] old = routes.get(ns);
        final int at = indexOf(old, high, low, length);
        if (at < 0) {
            return false;
        }
        final long[] copy = new long[old.length - 4];
        System.arraycopy(old, 0, copy, 0, at);
        System.arraycopy(old, at + 4, copy, at, old.length - at - 4);
        routes.set(ns, copy.length == 0 ? null : copy);
        size--;
        return true;
    }

    public void removeNamespace(final int ns) {
        final long[] old = routes.getAndSet(ns, null);
        if (old != null) {
            size -= old.length / 4;
        }
    }

    public int lookup(final int ns, final long high, final long low) {
        final long[] r = routes.getAcquire(ns);
        if (r == null) {
            return NO_ROUTE;
        }
        for (int i = 0; i < r.length; i += 4) {
            final int length = (int) r[i + 2];
            if ((high & maskHigh(length)) == r[i] && (low & maskLow(length)) == r[i + 1]) {
                return (int) r[i + 3];
            }
        }
        return NO_ROUTE;
    }

    public int get(final int ns, final long high, final long low, final int length) {
        final long[] r = routes.getAcquire(ns);
        final int at = indexOf(r, high, low, length);
        return at < 0 ? NO_ROUTE : (int) r[at + 3];
    }

    public long size() {
        return size;
    }

    private static int indexOf(final long[] r, final long high, final long low, final int length) {
        if (r == null) {
            return -1;
        }
        for (int i = 0; i < r.length; i += 4) {
            if (r[i] == high && r[i + 1] == low && r[i + 2] == length) {
                return i;
            }
        }
        return -1;
    }

    private static void check(final long high, final long low, final int length) {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length must be 0..128: " + length);
        }
        if ((high & ~maskHigh(length)) != 0 || (low & ~maskLow(length)) != 0) {
            throw new IllegalArgumentException("IPv6 prefix has host bits set beyond /" + length);
        }
    }

    @Override
    public String toString() {
        return "Ipv6RouteTable{size=" + size + ", capacity=" + capacity + '}';
    }
}
