package dev.nsdp.dataplane.route;

import java.util.Arrays;

/**
 * The writer's scratch for rebuilding one chunk: the chunk's routes, sorted by start then length
 * (shorter first - so a prefix comes before every prefix nested in it), and the ranges they
 * flatten to. A chunk covers a space of {@code width} bits (16 for IPv4, 96 for IPv6); a point is
 * two unsigned longs ({@code hi}: the bits above the low 64, {@code lo}: the low 64 bits), a
 * route's length is counted from the top of the chunk's space.
 *
 * <p>Flattening: prefixes nest or are disjoint, never overlap partly, so one sweep with a stack of
 * open prefixes gives, for every point, its longest covering prefix: a range starts where a prefix
 * starts (its value) and right after a prefix ends (the value of the prefix that encloses it, or
 * {@code NO_ROUTE}). Adjacent ranges with one value are merged. At most 2n+1 ranges for n routes.
 * Writer thread only; grows as needed.
 */
final class ChunkBuilder {
    static final int NO_ROUTE = -1;

    int width;
    int routes;
    long[] routeHi = new long[16];
    long[] routeLo = new long[16];
    int[] routeLength = new int[16];
    int[] routeValue = new int[16];

    int ranges;
    long[] rangeHi = new long[33];
    long[] rangeLo = new long[33];
    int[] rangeValue = new int[33];

    private long[] stackEndHi = new long[16];
    private long[] stackEndLo = new long[16];
    private int[] stackValue = new int[16];

    void reset(final int width) {
        this.width = width;
        this.routes = 0;
        this.ranges = 0;
    }

    /** Appends a route read from a block (already in order). */
    void append(final long hi, final long lo, final int length, final int value) {
        ensureRoutes(routes + 1);
        routeHi[routes] = hi;
        routeLo[routes] = lo;
        routeLength[routes] = length;
        routeValue[routes] = value;
        routes++;
    }

    /** Index of the route (hi, lo, length), or -(insertion point + 1). */
    int find(final long hi, final long lo, final int length) {
        int low = 0;
        int high = routes - 1;
        while (low <= high) {
            final int mid = (low + high) >>> 1;
            final int c = compare(routeHi[mid], routeLo[mid], routeLength[mid], hi, lo, length);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private static int compare(final long h1, final long l1, final int n1, final long h2, final long l2, final int n2) {
        int c = Long.compareUnsigned(h1, h2);
        if (c == 0) {
            c = Long.compareUnsigned(l1, l2);
        }
        return c != 0 ? c : Integer.compare(n1, n2);
    }

    void insertAt(final int at, final long hi, final long lo, final int length, final int value) {
        ensureRoutes(routes + 1);
        final int tail = routes - at;
        System.arraycopy(routeHi, at, routeHi, at + 1, tail);
        System.arraycopy(routeLo, at, routeLo, at + 1, tail);
        System.arraycopy(routeLength, at, routeLength, at + 1, tail);
        System.arraycopy(routeValue, at, routeValue, at + 1, tail);
        routeHi[at] = hi;
        routeLo[at] = lo;
        routeLength[at] = length;
        routeValue[at] = value;
        routes++;
    }

    void removeAt(final int at) {
        final int tail = routes - at - 1;
        System.arraycopy(routeHi, at + 1, routeHi, at, tail);
        System.arraycopy(routeLo, at + 1, routeLo, at, tail);
        System.arraycopy(routeLength, at + 1, routeLength, at, tail);
        System.arraycopy(routeValue, at + 1, routeValue, at, tail);
        routes--;
    }

    /** Flattens the routes into ranges (first range starts at 0). */
    void flatten() {
        ranges = 0;
        ensureRanges(2 * routes + 1);
        if (stackValue.length < routes + 1) {
            final int n = routes + 1;
            stackEndHi = Arrays.copyOf(stackEndHi, n);
            stackEndLo = Arrays.copyOf(stackEndLo, n);
            stackValue = Arrays.copyOf(stackValue, n);
        }
        emit(0, 0, NO_ROUTE);
        int depth = 0;
        for (int i = 0; i < routes; i++) {
            final long hi = routeHi[i];
            final long lo = routeLo[i];
            depth = closeBefore(depth, hi, lo);
            final int hostBits = width - routeLength[i];
            final long endHi;
            final long endLo;
            if (hostBits >= 64) {
                endLo = -1L;
                endHi = hi | ((1L << (hostBits - 64)) - 1);
            } else {
                endLo = lo | (hostBits == 0 ? 0 : (-1L >>> (64 - hostBits)));
                endHi = hi;
            }
            stackEndHi[depth] = endHi;
            stackEndLo[depth] = endLo;
            stackValue[depth] = routeValue[i];
            depth++;
            emit(hi, lo, routeValue[i]);
        }
        closeBefore(depth, -1L, -1L);
    }

    /** Pops every open prefix ending before (hi, lo), emitting the range after each; the new depth. */
    private int closeBefore(int depth, final long hi, final long lo) {
        while (depth > 0) {
            final long endHi = stackEndHi[depth - 1];
            final long endLo = stackEndLo[depth - 1];
            final boolean all = hi == -1L && lo == -1L;
            if (!all && !(Long.compareUnsigned(endHi, hi) < 0 || (endHi == hi && Long.compareUnsigned(endLo, lo) < 0))) {
                break;
            }
            depth--;
            final int enclosing = depth > 0 ? stackValue[depth - 1] : NO_ROUTE;
            if (!isLast(endHi, endLo)) {
                final long nextLo = endLo + 1;
                final long nextHi = nextLo == 0 ? endHi + 1 : endHi;
                emit(nextHi, nextLo, enclosing);
            }
        }
        return depth;
    }

    private boolean isLast(final long hi, final long lo) {
        if (width > 64) {
            return lo == -1L && hi == (-1L >>> (128 - width));
        }
        return hi == 0 && lo == (-1L >>> (64 - width));
    }

    private void emit(final long hi, final long lo, final int value) {
        if (ranges > 0 && rangeHi[ranges - 1] == hi && rangeLo[ranges - 1] == lo) {
            ranges--; // a range starting at the same point replaces it (it is the longer match)
        }
        if (ranges > 0 && rangeValue[ranges - 1] == value) {
            return;
        }
        rangeHi[ranges] = hi;
        rangeLo[ranges] = lo;
        rangeValue[ranges] = value;
        ranges++;
    }

    private void ensureRoutes(final int n) {
        if (n > routeHi.length) {
            final int size = Math.max(n, routeHi.length * 2);
            routeHi = Arrays.copyOf(routeHi, size);
            routeLo = Arrays.copyOf(routeLo, size);
            routeLength = Arrays.copyOf(routeLength, size);
            routeValue = Arrays.copyOf(routeValue, size);
        }
    }

    private void ensureRanges(final int n) {
        if (n > rangeHi.length) {
            final int size = Math.max(n, rangeHi.length * 2);
            rangeHi = Arrays.copyOf(rangeHi, size);
            rangeLo = Arrays.copyOf(rangeLo, size);
            rangeValue = Arrays.copyOf(rangeValue, size);
        }
    }

    long heapBytes() {
        return 24L * (routeHi.length + rangeHi.length + stackEndHi.length);
    }
}
