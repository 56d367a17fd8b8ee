package dev.nsdp.dataplane.route;

import java.util.Arrays;
import org.agrona.UnsafeApi;

/**
 * Longest-prefix match over IPv6 for every namespace; the same contract as {@link Ipv4RouteTable}
 * (one writer thread, lock-free allocation-free readers, namespaces 0..65535, values
 * 0..MAX_VALUE, {@link #NO_ROUTE}, bad input {@link IllegalArgumentException}, full
 * {@link IllegalStateException}, nothing changed on either). An address or prefix is two
 * big-endian longs: bytes 0..7 ({@code high}) and 8..15 ({@code low}), as {@code ParsedPacket}
 * holds them. Lengths are 0..128, host bits must be zero.
 *
 * <h2>Inside</h2>
 * The {@link Ipv4RouteTable} design with other widths: a chunk is (namespace, top 32 bits) and
 * holds the routes of length 32..128 that fall in it, flattened to ranges over the remaining 96
 * bits (a start is a 32-bit middle word and the 64-bit low word); routes shorter than /32 live in
 * the namespace's mid chunk for its top 16 bits (/16-/31) or its short chunk (/0-/15), both over
 * the top 32 bits. Lookup: one hash probe, a binary search over
 * the chunk's starts (the middle words decide unless two starts share one, as under a /64), one
 * value load; the mid and short chunks only on a miss. Blocks are {@code 8 + 16 x ranges + 24 x routes}
 * bytes rounded to 2^k cache lines, a lone route in its chunk costs 128 bytes (two lines).
 */
public final class Ipv6RouteTable implements AutoCloseable {
    public static final int NO_ROUTE = -1;
    public static final int MAX_NAMESPACES = 65_536;
    /** Limit of the block region, per route of capacity (plus one largest chunk as slack). */
    public static final int BLOCK_BYTES_PER_ROUTE = 192;

    static final int READ_ATTEMPTS = 65_536;
    private static final int SPLIT = 32;
    private static final int MAX_CHUNK_ROUTES = (1 << 24) - 1;
    private static final long MID_TAG = 1L << 32;
    private static final long SHORT_TAG = 2L << 32;

    private final long capacity;
    private final int maxRanges;
    private final int maxChunkRoutes;
    private final ChunkIndex index;
    private final BlockPool pool;
    private final ChunkBuilder builder = new ChunkBuilder();
    private final int[] classOut = new int[1];
    /** Writer's list of each namespace's chunk keys, for removeNamespace. */
    private final long[][] chunksByNamespace = new long[MAX_NAMESPACES][];
    private final int[] chunkCountByNamespace = new int[MAX_NAMESPACES];
    private long size;
    private boolean closed;

    public Ipv6RouteTable(final long capacity) {
        this(capacity, capacity);
    }

    /** As {@link Ipv4RouteTable#Ipv4RouteTable(long, long)}; a chunk is (namespace, top 32 bits). */
    public Ipv6RouteTable(final long capacity, final long maxChunks) {
        if (capacity < 1 || capacity > (1L << 28)) {
            throw new IllegalArgumentException("IPv6 route table capacity must be 1..2^28 routes, got " + capacity);
        }
        if (maxChunks < 1 || maxChunks > capacity) {
            throw new IllegalArgumentException("IPv6 route table chunks must be 1..capacity (" + capacity + "), got " + maxChunks);
        }
        this.capacity = capacity;
        this.maxChunkRoutes = (int) Math.min(MAX_CHUNK_ROUTES, capacity);
        this.maxRanges = 2 * maxChunkRoutes + 1;
        this.index = new ChunkIndex(maxChunks);
        final long largest = blockBytes(maxRanges, maxChunkRoutes);
        this.pool = new BlockPool(capacity * BLOCK_BYTES_PER_ROUTE + 2 * largest, largest, index);
    }

    /** The mask of the high long for a prefix of {@code length} bits. */
    public static long maskHigh(final int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** The mask of the low long for a prefix of {@code length} bits. */
    public static long maskLow(final int length) {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    // Keys: (namespace, kind, bits). Kind 0 (bits: top 32) holds /32-/128 over the low 96 bits;
    // MID (bits: top 16) holds /16-/31 and SHORT holds /0-/15, both over the top 32 bits (as
    // points (top 32, 0) of the same 96-bit space, lengths counted from its top).
    private static long chunkKey(final int ns, final long high) {
        return 1 + (((long) ns << 34) | (high >>> 32));
    }

    private static long midKey(final int ns, final long high) {
        return 1 + (((long) ns << 34) | MID_TAG | (high >>> 48));
    }

    private static long shortKey(final int ns) {
        return 1 + (((long) ns << 34) | SHORT_TAG);
    }

    private static long keyOf(final int ns, final long high, final int length) {
        return length >= SPLIT ? chunkKey(ns, high) : length >= 16 ? midKey(ns, high) : shortKey(ns);
    }

    // Block layout: int ranges, int routes | class << 24, int middles[ranges], long lows[ranges],
    // int values[ranges], routes[routes] of three longs (low, middle << 32 | value, length).
    private static long lowsOffset(final int ranges) {
        return (8 + 4L * ranges + 7) & ~7L;
    }

    private static long valuesOffset(final int ranges) {
        return lowsOffset(ranges) + 8L * ranges;
    }

    private static long routesOffset(final int ranges) {
        return (valuesOffset(ranges) + 4L * ranges + 7) & ~7L;
    }

    private static long blockBytes(final int ranges, final int routes) {
        return routesOffset(ranges) + 24L * routes;
    }

    // ------------------------------------------------------------------ writer thread

    public void add(final int ns, final long high, final long low, final int length, final int value) {
        checkNamespace(ns);
        check(high, low, length);
        if (value < 0) {
            throw new IllegalArgumentException("route value must be >= 0: " + value);
        }
        checkOpen();
        final boolean isShort = length < SPLIT;
        final long key = keyOf(ns, high, length);
        final long startHi = isShort ? high >>> 32 : high & 0xFFFF_FFFFL;
        final long startLo = isShort ? 0 : low;
        final int relative = isShort ? length : length - SPLIT;
        final int old = index.get(key);
        load(old);
        final int at = builder.find(startHi, startLo, relative);
        if (at >= 0) {
            if (builder.routeValue[at] != value) {
                builder.routeValue[at] = value;
                publish(key, old, isShort);
            }
            return;
        }
        if (size >= capacity) {
            throw new IllegalStateException("route table full: " + capacity + " routes");
        }
        if (old == 0 && index.isFull()) {
            throw new IllegalStateException("route table full: " + index.size() + " chunks (namespace, top 32 bits)");
        }
        if (builder.routes >= maxChunkRoutes) {
            throw new IllegalStateException("route table full: " + maxChunkRoutes + " routes under one /32");
        }
        builder.insertAt(-at - 1, startHi, startLo, relative, value);
        publish(key, old, isShort);
        if (old == 0) {
            addChunk(ns, key);
        }
        size++;
    }

    public boolean remove(final int ns, final long high, final long low, final int length) {
        checkNamespace(ns);
        check(high, low, length);
        checkOpen();
        final boolean isShort = length < SPLIT;
        final long key = keyOf(ns, high, length);
        final int old = index.get(key);
        if (old == 0) {
            return false;
        }
        load(old);
        final int at = isShort ? builder.find(high >>> 32, 0, length) : builder.find(high & 0xFFFF_FFFFL, low, length - SPLIT);
        if (at < 0) {
            return false;
        }
        builder.removeAt(at);
        if (builder.routes == 0) {
            if (isShort) {
                index.bump(); // readers combine a chunk miss with the short chunk: see the class comment
            }
            index.remove(key);
            pool.free(old, classOfBlock(old));
            removeChunk(ns, key);
        } else {
            publish(key, old, isShort);
        }
        size--;
        return true;
    }

    /** Removes every route of namespace {@code ns}, chunk after chunk. */
    public void removeNamespace(final int ns) {
        checkNamespace(ns);
        checkOpen();
        final long[] keys = chunksByNamespace[ns];
        final int count = chunkCountByNamespace[ns];
        if (count == 0) {
            return;
        }
        index.bump();
        for (int i = 0; i < count; i++) {
            drop(keys[i]);
        }
        chunksByNamespace[ns] = null;
        chunkCountByNamespace[ns] = 0;
    }

    private void drop(final long key) {
        final int ref = index.get(key);
        if (ref != 0) {
            size -= UnsafeApi.getInt(null, pool.address(ref) + 4) & 0xFF_FFFF;
            index.remove(key);
            pool.free(ref, classOfBlock(ref));
        }
    }

    private int classOfBlock(final int ref) {
        return UnsafeApi.getInt(null, pool.address(ref) + 4) >>> 24;
    }

    private void load(final int ref) {
        builder.reset(96);
        if (ref == 0) {
            return;
        }
        final long block = pool.address(ref);
        final int ranges = UnsafeApi.getInt(null, block);
        final int routes = UnsafeApi.getInt(null, block + 4) & 0xFF_FFFF;
        final long at = block + routesOffset(ranges);
        for (int i = 0; i < routes; i++) {
            final long r = at + 24L * i;
            final long middleValue = UnsafeApi.getLong(null, r + 8);
            builder.append(middleValue >>> 32, UnsafeApi.getLong(null, r), (int) UnsafeApi.getLong(null, r + 16), (int) middleValue);
        }
    }

    private void publish(final long key, final int old, final boolean isShort) {
        builder.flatten();
        final int ranges = builder.ranges;
        final int routes = builder.routes;
        final int ref = pool.allocate(BlockPool.classOf(blockBytes(ranges, routes)), classOut);
        final long block = pool.address(ref);
        UnsafeApi.putInt(null, block, ranges);
        UnsafeApi.putInt(null, block + 4, routes | classOut[0] << 24);
        final long lows = block + lowsOffset(ranges);
        final long values = block + valuesOffset(ranges);
        for (int i = 0; i < ranges; i++) {
            UnsafeApi.putInt(null, block + 8 + 4L * i, (int) builder.rangeHi[i]);
            UnsafeApi.putLong(null, lows + 8L * i, builder.rangeLo[i]);
            UnsafeApi.putInt(null, values + 4L * i, builder.rangeValue[i]);
        }
        final long at = block + routesOffset(ranges);
        for (int i = 0; i < routes; i++) {
            final long r = at + 24L * i;
            UnsafeApi.putLong(null, r, builder.routeLo[i]);
            UnsafeApi.putLong(null, r + 8, builder.routeHi[i] << 32 | (builder.routeValue[i] & 0xFFFF_FFFFL));
            UnsafeApi.putLong(null, r + 16, builder.routeLength[i]);
        }
        if (isShort) {
            index.bump();
        }
        index.put(key, ref);
        if (old != 0) {
            pool.free(old, classOfBlock(old));
        }
    }

    private void addChunk(final int ns, final long key) {
        long[] keys = chunksByNamespace[ns];
        final int n = chunkCountByNamespace[ns];
        if (keys == null) {
            keys = chunksByNamespace[ns] = new long[4];
        } else if (n == keys.length) {
            keys = chunksByNamespace[ns] = Arrays.copyOf(keys, n * 2);
        }
        keys[n] = key;
        chunkCountByNamespace[ns] = n + 1;
    }

    private void removeChunk(final int ns, final long key) {
        final long[] keys = chunksByNamespace[ns];
        final int n = chunkCountByNamespace[ns];
        for (int i = 0; i < n; i++) {
            if (keys[i] == key) {
                keys[i] = keys[n - 1];
                chunkCountByNamespace[ns] = n - 1;
                return;
            }
        }
    }

    // ------------------------------------------------------------------ readers, any thread

    public int lookup(final int ns, final long high, final long low) {
        if ((ns & ~(MAX_NAMESPACES - 1)) != 0) {
            return NO_ROUTE;
        }
        final long key = chunkKey(ns, high);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            final long before = index.sequence();
            final int ref = index.find(key);
            int value = ref == 0 ? NO_ROUTE : search(pool.address(ref), (int) high, low);
            if (value == NO_ROUTE) {
                value = resolveShort(ns, high);
            }
            UnsafeApi.loadLoadFence();
            if ((before & 1) == 0 && before == index.sequence()) {
                return value;
            }
            Thread.onSpinWait();
        }
        return NO_ROUTE;
    }

    /** The answer of the namespace's /16-/31 chunk for the address's top 16 bits, else of its /0-/15 chunk. */
    private int resolveShort(final int ns, final long high) {
        int ref = index.find(midKey(ns, high));
        final int value = ref == 0 ? NO_ROUTE : search(pool.address(ref), (int) (high >>> 32), 0);
        if (value != NO_ROUTE) {
            return value;
        }
        ref = index.find(shortKey(ns));
        return ref == 0 ? NO_ROUTE : search(pool.address(ref), (int) (high >>> 32), 0);
    }

    private int search(final long block, final int middle, final long low) {
        final int ranges = Math.min(Math.max(UnsafeApi.getInt(null, block), 1), maxRanges);
        final long middles = block + 8;
        final long lows = block + lowsOffset(ranges);
        int base = 0;
        int n = ranges;
        while (n > 1) {
            final int half = n >>> 1;
            final int probe = base + half;
            final int m = UnsafeApi.getInt(null, middles + 4L * probe);
            final boolean atOrBelow = m == middle
                ? Long.compareUnsigned(UnsafeApi.getLong(null, lows + 8L * probe), low) <= 0
                : Integer.compareUnsigned(m, middle) < 0;
            base = atOrBelow ? probe : base;
            n -= half;
        }
        return UnsafeApi.getInt(null, block + valuesOffset(ranges) + 4L * base);
    }

    /** Looks up a burst: {@code values[i] = lookup(namespaces[i], highs[i], lows[i])}; as {@link Ipv4RouteTable#lookupBurst}. */
    public void lookupBurst(final int[] namespaces, final long[] highs, final long[] lows, final int[] values, final int count) {
        final long before = index.sequence();
        long touched = 0;
        for (int i = 0; i < count; i++) {
            touched += index.touch(chunkKey(namespaces[i] & (MAX_NAMESPACES - 1), highs[i]));
        }
        for (int i = 0; i < count; i++) {
            final int ns = namespaces[i];
            final int ref = (ns & ~(MAX_NAMESPACES - 1)) != 0 ? 0 : index.find(chunkKey(ns, highs[i]));
            values[i] = ref;
            if (ref != 0) {
                final long block = pool.address(ref);
                final int ranges = Math.min(Math.max(UnsafeApi.getInt(null, block), 1), maxRanges);
                touched += UnsafeApi.getInt(null, block + valuesOffset(ranges));
            }
        }
        if (touched == 0x5EED_0F_7AB1E5L) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < count; i++) {
            final int ns = namespaces[i];
            if ((ns & ~(MAX_NAMESPACES - 1)) != 0) {
                values[i] = NO_ROUTE;
                continue;
            }
            final int ref = values[i];
            int value = ref == 0 ? NO_ROUTE : search(pool.address(ref), (int) highs[i], lows[i]);
            if (value == NO_ROUTE) {
                value = resolveShort(ns, highs[i]);
            }
            values[i] = value;
        }
        UnsafeApi.loadLoadFence();
        if ((before & 1) != 0 || before != index.sequence()) {
            for (int i = 0; i < count; i++) {
                values[i] = lookup(namespaces[i], highs[i], lows[i]);
            }
        }
    }

    /** The value of exactly {@code prefix/length} in namespace {@code ns}, or {@link #NO_ROUTE} (also for a malformed prefix). */
    public int get(final int ns, final long high, final long low, final int length) {
        if ((ns & ~(MAX_NAMESPACES - 1)) != 0 || length < 0 || length > 128
            || (high & ~maskHigh(length)) != 0 || (low & ~maskLow(length)) != 0) {
            return NO_ROUTE;
        }
        final boolean isShort = length < SPLIT;
        final long key = keyOf(ns, high, length);
        final long wantedLow = isShort ? 0 : low;
        final long wantedMiddle = isShort ? high >>> 32 : high & 0xFFFF_FFFFL;
        final int wantedLength = isShort ? length : length - SPLIT;
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            final long before = index.sequence();
            int value = NO_ROUTE;
            final int ref = index.find(key);
            if (ref != 0) {
                final long block = pool.address(ref);
                final int ranges = Math.min(Math.max(UnsafeApi.getInt(null, block), 1), maxRanges);
                final int routes = Math.min(UnsafeApi.getInt(null, block + 4) & 0xFF_FFFF, maxChunkRoutes);
                final long at = block + routesOffset(ranges);
                for (int i = 0; i < routes; i++) {
                    final long r = at + 24L * i;
                    final long middleValue = UnsafeApi.getLong(null, r + 8);
                    if (middleValue >>> 32 == wantedMiddle && UnsafeApi.getLong(null, r) == wantedLow
                        && UnsafeApi.getLong(null, r + 16) == wantedLength) {
                        value = (int) middleValue;
                        break;
                    }
                }
            }
            UnsafeApi.loadLoadFence();
            if ((before & 1) == 0 && before == index.sequence()) {
                return value;
            }
            Thread.onSpinWait();
        }
        return NO_ROUTE;
    }

    public long size() {
        return size;
    }

    public long capacity() {
        return capacity;
    }

    /** As {@link Ipv4RouteTable#memoryBytes()}. */
    public long memoryBytes() {
        long heap = 8L * MAX_NAMESPACES + builder.heapBytes() + pool.bookkeepingBytes();
        for (int ns = 0; ns < MAX_NAMESPACES; ns++) {
            if (chunksByNamespace[ns] != null) {
                heap += 16 + 8L * chunksByNamespace[ns].length;
            }
        }
        return index.memoryBytes() + pool.usedBytes() + heap;
    }

    public long liveBlockBytes() {
        return pool.liveBytes();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.close();
            index.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("IPv6 route table is closed");
        }
    }

    private static void checkNamespace(final int ns) {
        if ((ns & ~(MAX_NAMESPACES - 1)) != 0) {
            throw new IllegalArgumentException("namespace id must be 0.." + (MAX_NAMESPACES - 1) + ": " + ns);
        }
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
        return "Ipv6RouteTable{size=" + size + ", capacity=" + capacity + ", chunks=" + index.size() + '}';
    }
}
