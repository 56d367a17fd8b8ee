package dev.nsdp.dataplane.route;

import java.util.Arrays;
import org.agrona.UnsafeApi;

/**
 * Longest-prefix match over IPv4 for every namespace: keys carry the namespace id, the value of a
 * route is an {@code int} the caller gives meaning to (the L3 stage stores a next-hop index).
 *
 * <h2>Contract (stable: the L3 stage and the benchmarks code against it)</h2>
 * <ul>
 * <li>One writer thread (the control thread that programs the dataplane) calls {@link #add},
 *     {@link #remove}, {@link #removeNamespace} and {@link #close}; any number of reader threads
 *     (workers) call {@link #lookup}, {@link #lookupBurst} and {@link #get} at the same time. A
 *     reader sees the table as it was at one instant during its call, never a torn route, and a
 *     lookup never blocks and never allocates.</li>
 * <li>Namespaces are 0..{@value #MAX_NAMESPACES}-1; values are 0..{@link Integer#MAX_VALUE};
 *     {@link #NO_ROUTE} means no match (and is the answer for a namespace out of range).</li>
 * <li>Prefixes are given with their host bits zero ({@code prefix & ~mask(length) == 0});
 *     anything else is an {@link IllegalArgumentException}, as is a length outside 0..32, a
 *     namespace out of range or a negative value. A full table throws
 *     {@link IllegalStateException}. Either way nothing has changed.</li>
 * </ul>
 *
 * <h2>Inside: one structure for all namespaces</h2>
 * The address space of a namespace is cut into <em>chunks</em> of 65,536 addresses: the chunk key
 * is (namespace, top 16 bits), and it holds the routes of length 16..32 that fall in it. Routes of
 * length 8..15 live in a <em>mid</em> chunk per (namespace, top 8 bits) over address bits 16..23,
 * routes shorter than /8 in the namespace's one <em>short</em> chunk over the top 8 bits - so a
 * change to a short route rewrites a few dozen ranges, not every short route of the namespace. A
 * chunk is stored flattened: the sorted starts of the ranges of addresses that share one longest
 * match (at most 2n+1 ranges for n routes), and each range's value, in one off-heap block. A
 * shared {@link ChunkIndex} (open-addressing hash) maps chunk keys to blocks, a shared
 * {@link BlockPool} holds the blocks (seed 004: one table per kind, filtered by namespace).
 *
 * <p>A lookup: one hash probe for (namespace, top 16), a branch-free binary search over the
 * chunk's 16-bit starts, one value load; only when that chunk gives no match (or does not exist),
 * the same in the mid chunk, then the short chunk. A chunk of up to 9 ranges is one cache line.
 * {@link #lookupBurst} overlaps the cache misses of a whole burst (index lines first, then the
 * blocks' first lines and first value lines, then the searches).
 *
 * <p>A change copies: the writer rebuilds the chunk's block from the chunk's route list (kept in
 * the block after the ranges, so no second copy of the routes exists), publishes it with a release
 * store in the index, and frees the old block. Readers never wait for the writer, with one
 * exception below; they check a sequence around each lookup and retry if it moved:
 * <ul>
 * <li>the pool reuses freed blocks only after a sequence bump ({@link BlockPool}), so a reader
 *     still inside a freed block retries instead of answering from reused memory;</li>
 * <li>a chunk removal marks its index key dead in place, and reusing a dead slot for another key
 *     bumps the sequence ({@link ChunkIndex});</li>
 * <li>a mid- or short-chunk change bumps the sequence right before it is published: a lookup that
 *     missed in its chunk and then read the fallback chunks either saw no such change in between,
 *     or saw one and retries - so its answer was the table's answer at one instant.</li>
 * </ul>
 * The exception: when dead index slots reach a quarter of the index, it is rebuilt in place under
 * an odd sequence, and readers spin until it is even (once per slots/4 chunk removals; at most
 * {@value #READ_ATTEMPTS} attempts, then {@link #NO_ROUTE}). {@link #removeNamespace} removes the
 * namespace's chunks one after the other: a concurrent lookup may see some removed and not others.
 *
 * <h2>Memory</h2>
 * Bounded by construction: {@link #memoryBytes()} is the index (32 bytes per chunk of
 * {@code maxChunks}, rounded up to a power of two), the block memory ever handed out (a high-water
 * mark: the region is reserved at {@value #BLOCK_BYTES_PER_ROUTE} bytes per route of capacity but
 * mapped lazily) and the writer's on-heap lists (about one byte per 64 block bytes). A block is
 * {@code 8 + 6 x ranges + 8 x routes} bytes (ranges at most 2 x routes + 1), rounded up to 2^k
 * cache lines: a route alone in its chunk costs one 64-byte line, a chunk of n routes at most
 * {@code 2 x (14 + 20n)} bytes, about 20-40 bytes per route in practice.
 * <b>Stated bound: 10,000 namespaces x 1,000 routes (10 million, up to 65 chunks per namespace) take at
 * most 48 bytes per route, 480 MB</b>, built with {@code maxChunks} 650,000 (65 per namespace);
 * measured 34.2 bytes per route, 342 MB (RouteTableMemoryTest, docs/PERFORMANCE.md). The
 * one-argument constructor sizes the index for a chunk per route (32-64 bytes per route). The
 * worst case - every route alone in its own /16 - is 64 bytes of block plus 32-64 bytes of index
 * per route.
 */
public final class Ipv4RouteTable implements AutoCloseable {
    public static final int NO_ROUTE = -1;
    public static final int MAX_NAMESPACES = 65_536;
    /** Limit of the block region, per route of capacity (plus one largest chunk as slack). */
    public static final int BLOCK_BYTES_PER_ROUTE = 96;

    static final int READ_ATTEMPTS = 65_536;
    private static final int SPLIT = 16;
    private static final int MID = 1 << 16;
    private static final int SHORT = 2 << 16;
    private static final int MAX_RANGES = 65_536;
    private static final int MAX_CHUNK_ROUTES = 131_071;

    private final long capacity;
    /** Per-table bounds of a chunk (a chunk cannot hold more routes than the table): readers clamp to them. */
    private final int maxRanges;
    private final int maxChunkRoutes;
    private final ChunkIndex index;
    private final BlockPool pool;
    private final ChunkBuilder builder = new ChunkBuilder();
    private final int[] classOut = new int[1];
    /** Writer's list of each namespace's chunks (top 16 bits), for removeNamespace. */
    private final int[][] chunksByNamespace = new int[MAX_NAMESPACES][];
    private final int[] chunkCountByNamespace = new int[MAX_NAMESPACES];
    private long size;
    private boolean closed;

    /** A table for {@code capacity} routes (and as many chunks). */
    public Ipv4RouteTable(final long capacity) {
        this(capacity, capacity);
    }

    /**
     * @param capacity  routes the table holds (all namespaces together), at least 1
     * @param maxChunks chunks the table holds, 1..capacity: distinct (namespace, top 16 bits) of
     *                  its /16-/32 routes + distinct (namespace, top 8 bits) of its /8-/15 routes +
     *                  namespaces with routes shorter than /8; the index costs 32 bytes per chunk
     *                  rounded up to a power of two, so a table whose routes cluster can say so
     */
    public Ipv4RouteTable(final long capacity, final long maxChunks) {
        if (capacity < 1 || capacity > (1L << 30)) {
            throw new IllegalArgumentException("IPv4 route table capacity must be 1..2^30 routes, got " + capacity);
        }
        if (maxChunks < 1 || maxChunks > capacity) {
            throw new IllegalArgumentException("IPv4 route table chunks must be 1..capacity (" + capacity + "), got " + maxChunks);
        }
        this.capacity = capacity;
        this.index = new ChunkIndex(maxChunks);
        this.maxChunkRoutes = (int) Math.min(MAX_CHUNK_ROUTES, capacity);
        this.maxRanges = (int) Math.min(MAX_RANGES, 2 * capacity + 1);
        final long largest = blockBytes(maxRanges, maxChunkRoutes);
        this.pool = new BlockPool(capacity * BLOCK_BYTES_PER_ROUTE + 2 * largest, largest, index);
    }

    public static int mask(final int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    // A chunk is named by an entry, kind << 16 | bits: kind 0 (bits: top 16) holds /16-/32 over
    // the low 16 bits; MID (bits: top 8) holds /8-/15 over bits 16..23; SHORT holds /0-/7 over
    // the top 8 bits. A lookup tries them in that order until one matches.
    private static int entryOf(final int prefix, final int length) {
        return length >= SPLIT ? prefix >>> 16 : length >= 8 ? MID | prefix >>> 24 : SHORT;
    }

    private static long startOf(final int prefix, final int length) {
        return length >= SPLIT ? prefix & 0xFFFF : length >= 8 ? (prefix >>> 16) & 0xFF : prefix >>> 24;
    }

    private static int relativeOf(final int length) {
        return length >= SPLIT ? length - SPLIT : length >= 8 ? length - 8 : length;
    }

    private static int widthOf(final int entry) {
        return entry < MID ? 16 : 8;
    }

    private static long keyOf(final int ns, final int entry) {
        return 1 + ((long) ns << 18 | entry);
    }

    private static long chunkKey(final int ns, final int top16) {
        return keyOf(ns, top16);
    }

    // Block layout: int ranges, int routes | class << 24, char starts[ranges], int values[ranges],
    // long routes[routes] (start << 40 | length << 32 | value), sections 4- and 8-byte aligned.
    private static long valuesOffset(final int ranges) {
        return 8 + ((2L * ranges + 3) & ~3L);
    }

    private static long routesOffset(final int ranges) {
        return (valuesOffset(ranges) + 4L * ranges + 7) & ~7L;
    }

    private static long blockBytes(final int ranges, final int routes) {
        return routesOffset(ranges) + 8L * routes;
    }

    // ------------------------------------------------------------------ writer thread

    /** Adds or replaces the route {@code prefix/length} of namespace {@code ns}. */
    public void add(final int ns, final int prefix, final int length, final int value) {
        checkNamespace(ns);
        check(prefix, length);
        if (value < 0) {
            throw new IllegalArgumentException("route value must be >= 0: " + value);
        }
        checkOpen();
        final int entry = entryOf(prefix, length);
        final long key = keyOf(ns, entry);
        final long start = startOf(prefix, length);
        final int relative = relativeOf(length);
        final int old = index.get(key);
        load(old, widthOf(entry));
        final int at = builder.find(0, start, relative);
        if (at >= 0) {
            if (builder.routeValue[at] != value) {
                builder.routeValue[at] = value;
                publish(key, old, entry);
            }
            return;
        }
        if (size >= capacity) {
            throw new IllegalStateException("route table full: " + capacity + " routes");
        }
        if (old == 0 && index.isFull()) {
            throw new IllegalStateException("route table full: " + index.size() + " chunks (namespace, top 16 bits)");
        }
        builder.insertAt(-at - 1, 0, start, relative, value);
        publish(key, old, entry);
        if (old == 0) {
            addChunk(ns, entry);
        }
        size++;
    }

    /** Removes {@code prefix/length} from namespace {@code ns}; false if it was not there. */
    public boolean remove(final int ns, final int prefix, final int length) {
        checkNamespace(ns);
        check(prefix, length);
        checkOpen();
        final int entry = entryOf(prefix, length);
        final long key = keyOf(ns, entry);
        final int old = index.get(key);
        if (old == 0) {
            return false;
        }
        load(old, widthOf(entry));
        final int at = builder.find(0, startOf(prefix, length), relativeOf(length));
        if (at < 0) {
            return false;
        }
        builder.removeAt(at);
        if (builder.routes == 0) {
            if (entry >= MID) {
                index.bump(); // readers combine a chunk miss with the fallback chunks: see the class comment
            }
            index.remove(key);
            pool.free(old, classOfBlock(old));
            removeChunk(ns, entry);
        } else {
            publish(key, old, entry);
        }
        size--;
        return true;
    }

    /** Removes every route of namespace {@code ns}, chunk after chunk. */
    public void removeNamespace(final int ns) {
        checkNamespace(ns);
        checkOpen();
        final int[] entries = chunksByNamespace[ns];
        final int count = chunkCountByNamespace[ns];
        if (count == 0) {
            return;
        }
        index.bump();
        for (int i = 0; i < count; i++) {
            drop(keyOf(ns, entries[i]));
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

    private void load(final int ref, final int width) {
        builder.reset(width);
        if (ref == 0) {
            return;
        }
        final long block = pool.address(ref);
        final int ranges = UnsafeApi.getInt(null, block);
        final int routes = UnsafeApi.getInt(null, block + 4) & 0xFF_FFFF;
        final long at = block + routesOffset(ranges);
        for (int i = 0; i < routes; i++) {
            final long w = UnsafeApi.getLong(null, at + 8L * i);
            builder.append(0, w >>> 40, (int) (w >>> 32) & 0xFF, (int) w);
        }
    }

    /** Writes the builder's chunk into a new block and links it; nothing changes if that throws. */
    private void publish(final long key, final int old, final int entry) {
        builder.flatten();
        final int ranges = builder.ranges;
        final int routes = builder.routes;
        final int ref = pool.allocate(BlockPool.classOf(blockBytes(ranges, routes)), classOut);
        final long block = pool.address(ref);
        UnsafeApi.putInt(null, block, ranges);
        UnsafeApi.putInt(null, block + 4, routes | classOut[0] << 24);
        final long values = block + valuesOffset(ranges);
        for (int i = 0; i < ranges; i++) {
            UnsafeApi.putChar(null, block + 8 + 2L * i, (char) builder.rangeLo[i]);
            UnsafeApi.putInt(null, values + 4L * i, builder.rangeValue[i]);
        }
        final long at = block + routesOffset(ranges);
        for (int i = 0; i < routes; i++) {
            UnsafeApi.putLong(null, at + 8L * i,
                builder.routeLo[i] << 40 | (long) builder.routeLength[i] << 32 | (builder.routeValue[i] & 0xFFFF_FFFFL));
        }
        if (entry >= MID) {
            index.bump(); // readers combine a chunk miss with this chunk: see the class comment
        }
        index.put(key, ref); // release: the block is complete before it is reachable
        if (old != 0) {
            pool.free(old, classOfBlock(old));
        }
    }

    private void addChunk(final int ns, final int top) {
        int[] tops = chunksByNamespace[ns];
        final int n = chunkCountByNamespace[ns];
        if (tops == null) {
            tops = chunksByNamespace[ns] = new int[4];
        } else if (n == tops.length) {
            tops = chunksByNamespace[ns] = Arrays.copyOf(tops, n * 2);
        }
        tops[n] = top;
        chunkCountByNamespace[ns] = n + 1;
    }

    private void removeChunk(final int ns, final int top) {
        final int[] tops = chunksByNamespace[ns];
        final int n = chunkCountByNamespace[ns];
        for (int i = 0; i < n; i++) {
            if (tops[i] == top) {
                tops[i] = tops[n - 1];
                chunkCountByNamespace[ns] = n - 1;
                return;
            }
        }
    }

    // ------------------------------------------------------------------ readers, any thread

    /** The value of the longest prefix of namespace {@code ns} that holds {@code address}, or {@link #NO_ROUTE}. */
    public int lookup(final int ns, final int address) {
        if ((ns & ~(MAX_NAMESPACES - 1)) != 0) {
            return NO_ROUTE;
        }
        final long key = chunkKey(ns, address >>> 16);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            final long before = index.sequence();
            final int value = resolve(ns, key, address);
            UnsafeApi.loadLoadFence();
            if ((before & 1) == 0 && before == index.sequence()) {
                return value;
            }
            Thread.onSpinWait();
        }
        return NO_ROUTE;
    }

    private int resolve(final int ns, final long key, final int address) {
        final int ref = index.find(key);
        int value = ref == 0 ? NO_ROUTE : search(pool.address(ref), address & 0xFFFF);
        if (value == NO_ROUTE) {
            value = resolveShort(ns, address);
        }
        return value;
    }

    /** The answer of the namespace's /8-/15 chunk for the address's top 8 bits, else of its /0-/7 chunk. */
    private int resolveShort(final int ns, final int address) {
        int ref = index.find(keyOf(ns, MID | address >>> 24));
        final int value = ref == 0 ? NO_ROUTE : search(pool.address(ref), (address >>> 16) & 0xFF);
        if (value != NO_ROUTE) {
            return value;
        }
        ref = index.find(keyOf(ns, SHORT));
        return ref == 0 ? NO_ROUTE : search(pool.address(ref), address >>> 24);
    }

    /** The value of the range holding {@code x}: the last start at or below it (starts[0] is 0). */
    private int search(final long block, final int x) {
        // Clamped: a block being reused may hold anything; the sequence check discards the answer.
        final int ranges = Math.min(Math.max(UnsafeApi.getInt(null, block), 1), maxRanges);
        final long starts = block + 8;
        int base = 0;
        int n = ranges;
        while (n > 1) {
            final int half = n >>> 1;
            base = UnsafeApi.getChar(null, starts + 2L * (base + half)) <= x ? base + half : base;
            n -= half;
        }
        return UnsafeApi.getInt(null, block + valuesOffset(ranges) + 4L * base);
    }

    /**
     * Looks up a burst: {@code values[i] = lookup(namespaces[i], addresses[i])} for i in [0, count).
     * Any thread, no allocation. Faster per address than single lookups on a table larger than the
     * caches: the index lines of the whole burst are loaded first, then each chunk block's first
     * line and first line of values, so the misses are in flight together; the searches then mostly hit the cache.
     * {@code values} doubles as scratch for the block references.
     */
    public void lookupBurst(final int[] namespaces, final int[] addresses, final int[] values, final int count) {
        final long before = index.sequence();
        long touched = 0;
        for (int i = 0; i < count; i++) {
            touched += index.touch(chunkKey(namespaces[i] & (MAX_NAMESPACES - 1), addresses[i] >>> 16));
        }
        for (int i = 0; i < count; i++) {
            final int ns = namespaces[i];
            final int ref = (ns & ~(MAX_NAMESPACES - 1)) != 0 ? 0 : index.find(chunkKey(ns, addresses[i] >>> 16));
            values[i] = ref;
            if (ref != 0) { // the starts' first line, then the values' first line (a later miss otherwise)
                final long block = pool.address(ref);
                final int ranges = Math.min(Math.max(UnsafeApi.getInt(null, block), 1), maxRanges);
                touched += UnsafeApi.getInt(null, block + valuesOffset(ranges));
            }
        }
        if (touched == 0x5EED_0F_7AB1E5L) {
            Thread.onSpinWait(); // an unlikely sum does a harmless thing: keeps the loads
        }
        for (int i = 0; i < count; i++) {
            final int ns = namespaces[i];
            if ((ns & ~(MAX_NAMESPACES - 1)) != 0) {
                values[i] = NO_ROUTE;
                continue;
            }
            final int ref = values[i];
            int value = ref == 0 ? NO_ROUTE : search(pool.address(ref), addresses[i] & 0xFFFF);
            if (value == NO_ROUTE) {
                value = resolveShort(ns, addresses[i]);
            }
            values[i] = value;
        }
        UnsafeApi.loadLoadFence();
        if ((before & 1) != 0 || before != index.sequence()) {
            for (int i = 0; i < count; i++) {
                values[i] = lookup(namespaces[i], addresses[i]);
            }
        }
    }

    /** The value of exactly {@code prefix/length} in namespace {@code ns}, or {@link #NO_ROUTE} (also for a malformed prefix). */
    public int get(final int ns, final int prefix, final int length) {
        if ((ns & ~(MAX_NAMESPACES - 1)) != 0 || length < 0 || length > 32 || (prefix & ~mask(length)) != 0) {
            return NO_ROUTE;
        }
        final long key = keyOf(ns, entryOf(prefix, length));
        final long wanted = startOf(prefix, length) << 40 | (long) relativeOf(length) << 32;
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
                    final long w = UnsafeApi.getLong(null, at + 8L * i);
                    if ((w & 0xFFFF_FFFF_0000_0000L) == wanted) {
                        value = (int) w;
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

    /** Routes in all namespaces (writer thread). */
    public long size() {
        return size;
    }

    public long capacity() {
        return capacity;
    }

    /**
     * Bytes this table holds (writer thread): the chunk index, the block memory ever touched (its
     * high-water mark, which includes freed blocks awaiting reuse) and the writer's on-heap lists.
     */
    public long memoryBytes() {
        long heap = 8L * MAX_NAMESPACES + builder.heapBytes() + pool.bookkeepingBytes();
        for (int ns = 0; ns < MAX_NAMESPACES; ns++) {
            if (chunksByNamespace[ns] != null) {
                heap += 16 + 4L * chunksByNamespace[ns].length;
            }
        }
        return index.memoryBytes() + pool.usedBytes() + heap;
    }

    /** Bytes in blocks that are linked now (writer thread): the live part of {@link #memoryBytes()}. */
    public long liveBlockBytes() {
        return pool.liveBytes();
    }

    /** Frees the off-heap memory: only once no thread uses the table any more. */
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
            throw new IllegalStateException("IPv4 route table is closed");
        }
    }

    private static void checkNamespace(final int ns) {
        if ((ns & ~(MAX_NAMESPACES - 1)) != 0) {
            throw new IllegalArgumentException("namespace id must be 0.." + (MAX_NAMESPACES - 1) + ": " + ns);
        }
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
        return "Ipv4RouteTable{size=" + size + ", capacity=" + capacity + ", chunks=" + index.size() + '}';
    }
}
