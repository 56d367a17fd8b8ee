package dev.nsdp.dataplane.route;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Longest-prefix match over IPv4 for every namespace: keys carry the namespace id, the value of a
 * route is an {@code int} the caller gives meaning to (the L3 stage stores a next-hop index).
 *
 * <h2>Contract (stable: the L3 stage and the benchmarks code against it)</h2>
 * <ul>
 * <li>One writer thread (the control thread that programs the dataplane) calls {@link #add},
 *     {@link #remove} and {@link #removeNamespace}; any number of reader threads (workers) call
 *     {@link #lookup} and {@link #get} at the same time. A reader sees each route either before
 *     or after a change, never a torn one, and a lookup never blocks and never allocates.</li>
 * <li>Values are 0..{@link Integer#MAX_VALUE}; {@link #NO_ROUTE} means no match.</li>
 * <li>Prefixes are given with their host bits zero ({@code prefix & ~mask(length) == 0});
 *     anything else is an {@link IllegalArgumentException}, as is a length outside 0..32.</li>
 * </ul>
 *
 * <p>This first implementation is a stand-in that keeps the contract simply: a copy-on-write
 * array per namespace, scanned linearly. It is correct, not fast; a later change replaces the
 * inside without touching the contract.
 */
public final class Ipv4RouteTable {
    public static final int NO_ROUTE = -1;

    /** Per namespace: entries of three ints (prefix, length, value), sorted by length descending. */
    private final AtomicReferenceArray<int[]> routes = new AtomicReferenceArray<>(65_536);
    private final long capacity;
    private long size;

    public Ipv4RouteTable(final long capacity) {
        this.capacity = capacity;
    }

    public static int mask(final int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** Adds or replaces the route {@code prefix/length} of namespace {@code ns}. */
    public void add(final int ns, final int prefix, final int length, final int value) {
        check(prefix, length);
        if (value < 0) {
            throw new IllegalArgumentException("route value must be >= 0: " + value);
        }
        final int[] old = routes.get(ns);
        final int at = indexOf(old, prefix, length);
        if (at >= 0) {
            final int[] copy = old.clone();
            copy[at + 2] = value;
            routes.set(ns, copy);
            return;
        }
        if (size >= capacity) {
            throw new IllegalStateException("route table full: " + capacity + " routes");
        }
        final int n = old == null ? 0 : old.length;
        final int[] copy = new int[n + 3];
        int o = 0;
        int c = 0;
        while (o < n && old[o + 1] >= length) {
            copy[c++] = old[o++];
            copy[c++] = old[o++];
            copy[c++] = old[o++];
        }
        copy[c++] = prefix;
        copy[c++] = length;
        copy[c++] = value;
        System.arraycopy(old == null ? new int[0] : old, o, copy, c, n - o);
        routes.set(ns, copy);
        size++;
    }

    /** Removes {@code prefix/length} from namespace {@code ns}; false if it was not there. */
    public boolean remove(final int ns, final int prefix, final int length) {
        check(prefix, length);
        final int[] old = routes.get(ns);
        final int at = indexOf(old, prefix, length);
        if (at < 0) {
            return false;
        }
        final int[] copy = new int[old.length - 3];
        System.arraycopy(old, 0, copy, 0, at);
        System.arraycopy(old, at + 3, copy, at, old.length - at - 3);
        routes.set(ns, copy.length == 0 ? null : copy);
        size--;
        return true;
    }

    /** Removes every route of namespace {@code ns}. */
    public void removeNamespace(final int ns) {
        final int[] old = routes.getAndSet(ns, null);
        if (old != null) {
            size -= old.length / 3;
        }
    }

    /** The value of the longest prefix of namespace {@code ns} that holds {@code address}, or {@link #NO_ROUTE}. */
    public int lookup(final int ns, final int address) {
        final int[] r = routes.getAcquire(ns);
        if (r == null) {
            return NO_ROUTE;
        }
        for (int i = 0; i < r.length; i += 3) {
            if ((address & mask(r[i + 1])) == r[i]) {
                return r[i + 2];
            }
        }
        return NO_ROUTE;
    }

    /** The value of exactly {@code prefix/length} in namespace {@code ns}, or {@link #NO_ROUTE}. */
    public int get(final int ns, final int prefix, final int length) {
        final int[] r = routes.getAcquire(ns);
        final int at = indexOf(r, prefix, length);
        return at < 0 ? NO_ROUTE : r[at + 2];
    }

    /** Routes in all namespaces (writer thread). */
    public long size() {
        return size;
    }

    private static int indexOf(final int[] r, final int prefix, final int length) {
        if (r == null) {
            return -1;
        }
        for (int i = 0; i < r.length; i += 3) {
            if (r[i] == prefix && r[i + 1] == length) {
                return i;
            }
        }
        return -1;
    }

    private static void check(final int prefix, final int length) {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length must be 0..32: " + length);
        }
        if ((prefix & ~mask(length)) != 0) {
            throw new IllegalArgumentException("IPv4 prefix has host bits set beyond /" + length);
        }
    }

    @Override
    public String toString() {
        return "Ipv4RouteTable{size=" + size + ", capacity=" + capacity + '}';
    }
}
