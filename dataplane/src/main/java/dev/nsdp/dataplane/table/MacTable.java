package dev.nsdp.dataplane.table;

import dev.nsdp.dataplane.namespace.ForwardingPlane;
import dev.nsdp.dataplane.namespace.NamespaceSettings;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import dev.nsdp.dataplane.nativ.OffHeapRegion;
import org.agrona.UnsafeApi;

/**
 * The L2 forwarding table of every namespace: one off-heap open-addressing hash table shared by
 * all namespaces and filtered by namespace id in the key (seed 004: a large table is shared and
 * filtered by a tag; the small per-namespace state - entry counts, limits, aging times - is kept
 * in per-namespace array slots).
 *
 * <h2>Layout</h2>
 * An entry is 16 bytes: an 8-byte key and an 8-byte value, four entries to a 64-byte cache line.
 * <ul>
 * <li>key = {@code ~((namespaceId << 48) | mac)}. Stored inverted so that zero - the state the
 *     memory is allocated in - means "empty slot" and every (namespace, unicast MAC) pair stays
 *     representable: the one unrepresentable pair is namespace 65535 with the broadcast MAC, which
 *     is a group address and never a table entry.</li>
 * <li>value = bits 0..11 port index, bit 12 static flag, bits 32..63 last-seen time in
 *     milliseconds on the table's own clock ({@link #nowMs()}), an {@code int} that wraps every
 *     49.7 days and is only ever compared by subtraction.</li>
 * </ul>
 * Slots are a power of two, at least twice the entry capacity, so learning keeps the load factor
 * at or under one half (static entries may push it to three quarters, see below). The home of a
 * key is the first slot of a cache line chosen by a 64-bit mixer hash; probing is linear from
 * there. Starting at a line boundary means a hit almost always costs exactly one cache line (at
 * load 0.5 a line holds two entries on average) - for a table far larger than the caches that one
 * line miss is the whole cost of a lookup, and {@link #lookupBurst} / {@link #learnBurst} overlap
 * the misses of a whole burst. Deletion shifts the rest of the probe run back into the hole (no
 * tombstones), so lookups stay short after heavy aging or flushing. Offsets are {@code long}:
 * tables beyond 2 GiB work.
 *
 * <h2>Threads and memory ordering</h2>
 * One thread - the worker that owns the table - makes every change (learn, static entries,
 * removal, aging, flushes, limits). {@link #lookup}, {@link #forEach} and the counters may be
 * called from any thread at any time; they never see a torn entry (one key with another key's
 * value). The argument:
 * <ol>
 * <li>An insert into an empty slot writes the value, then the key with a release store. A reader
 *     loads keys with acquire, so once it sees the key it sees that value or a later one.</li>
 * <li>In-place value updates (refresh, station move, static over dynamic) are single aligned 8-byte
 *     opaque stores: a reader sees the old or the new value of the same key, both correct.</li>
 * <li>Deletion is the only change that puts a different key's value (or no entry) in a slot a
 *     reader may already have matched, and the only one that can hide a present entry from a
 *     reader mid-probe (the backward shift moves entries). Every deletion is bracketed by a
 *     sequence counter on its own cache line (a seqlock): made odd (then a store-store fence)
 *     before the slots change, even again (release) after. A reader loads the counter (acquire),
 *     probes, loads the value, fences load-load, and reloads the counter: if it changed, or was
 *     odd, something moved under the probe and the reader retries. An equal counter proves no
 *     deletion overlapped the probe, so the key it matched still owns the value it read, and a
 *     miss was a real miss at some instant. Inserts and refreshes do not touch the counter, so on
 *     a table that is only learning a reader never retries.</li>
 * </ol>
 * A reader gives up after {@value #READ_ATTEMPTS} attempts overlapping deletions and answers
 * {@link #MISS}: for a switch an unknown destination is flooded within its namespace, which is
 * always safe. The owner never retries (it never reads inside its own deletion). {@link #forEach}
 * checks each slot the same way, but entries moving during a walk may be missed or shown twice:
 * acceptable for a display, never a torn entry.
 *
 * <h2>Limits and capacity</h2>
 * Each namespace has a limit on <em>learned</em> entries (as the Linux bridge's fdb_max_learned):
 * at the limit a new source is counted {@link #LIMIT_REACHED} and not learned, its frames are
 * still switched (flooded when unknown). Nothing is ever evicted to make room, so a namespace
 * flooding random source MACs fills its own quota and nothing of any other namespace's: it cannot
 * evict or starve another as long as the limits of the live namespaces add up to no more than
 * {@link #maxEntries()} (the control plane's job; beyond that the table reports
 * {@link #TABLE_FULL}). Static entries are operator configuration: they do not count against the
 * namespace limit, may exceed {@link #maxEntries()}, and are refused only at the table's hard
 * capacity (three quarters of the slots).
 *
 * <p>Memory is a zeroed {@link OffHeapRegion} returned by {@link #close()}, which the owner may
 * call only when no thread uses the table any more. Tables of 8 MiB and more are mapped for
 * transparent huge pages before first touch, sparing a TLB miss per random lookup.
 */
public final class MacTable implements AutoCloseable {
    /** {@link #lookup} answer for an unknown destination. */
    public static final int MISS = -1;

    // Results of learn(), also the indices of learnResultCount().
    /** A new station: entry created. */
    public static final int LEARNED = 0;
    /** Known station on the same port: last-seen time refreshed (the line is written at most every {@value #REFRESH_GRANULARITY_MS} ms). */
    public static final int REFRESHED = 1;
    /** Known station seen on another port: entry now points there. */
    public static final int MOVED = 2;
    /** A static entry exists for the station: learning never overwrites it. */
    public static final int STATIC_UNCHANGED = 3;
    /** New station, but its namespace is at its limit of learned entries: not learned. */
    public static final int LIMIT_REACHED = 4;
    /** New station, but the table holds {@link #maxEntries()} entries: not learned. */
    public static final int TABLE_FULL = 5;
    /** Source is a group (multicast/broadcast) or all-zero MAC, or the port is out of range: not learned. */
    public static final int INVALID = 6;
    /** Number of distinct learn results. */
    public static final int LEARN_RESULT_COUNT = 7;

    public static final int MAX_NAMESPACES = ForwardingPlane.MAX_NAMESPACES;
    public static final int MAX_PORTS = ForwardingPlane.MAX_PORTS;
    /** Largest entry capacity: 2^30 entries, 2^31 slots, 32 GiB. */
    public static final int MAX_ENTRIES = 1 << 30;
    /** Longest aging time; well below 2^31 ms so wrap-safe comparisons of the int clock hold. */
    public static final int MAX_AGING_MS = 1_000_000_000;
    /**
     * A refresh within this many ms of the stored last-seen time does not write the entry: keeps
     * the line clean (shared, never bounced to readers) for a station sending millions of frames a
     * second, at the cost of aging up to this much early.
     */
    public static final int REFRESH_GRANULARITY_MS = 128;

    static final int READ_ATTEMPTS = 64;

    private static final int ENTRY_SHIFT = 4;              // 16-byte entries
    private static final int LINE_SHIFT = 2;               // 4 entries per 64-byte line
    private static final long VALUE_OFFSET = 8;
    private static final long HEADER_BYTES = 128;          // sequence counter alone on its line pair
    private static final long EMPTY = 0L;
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;
    private static final long GROUP_BIT = 0x0100_0000_0000L;
    private static final long PORT_MASK = MAX_PORTS - 1;
    private static final long STATIC_FLAG = 1L << 12;
    /** Bits 13..31 of a learned entry's value: the generation of its port when it was learned. */
    private static final int GENERATION_SHIFT = 13;
    private static final int GENERATION_MASK = (1 << 19) - 1;
    private static final int NAMESPACE_MASK = MAX_NAMESPACES - 1;

    private static final VarHandle LONG_ARRAY = MethodHandles.arrayElementVarHandle(long[].class);

    private final OffHeapRegion region;
    private final MemorySegment memory;
    private final long sequenceAddress;
    private final long entriesAddress;
    private final long slotMask;
    private final long lineMask;
    private final int maxEntries;
    private final long hardCapacity;
    private final long epochNanos;

    // Writer-only state (the owner thread); readers may look at the counts for display.
    private long sequence;
    private long sweepSlot;
    private int size;
    private final int[] learnedByNamespace = new int[MAX_NAMESPACES];
    private final int[] staticByNamespace = new int[MAX_NAMESPACES];
    private final int[] limitByNamespace = new int[MAX_NAMESPACES];
    private final int[] agingMsByNamespace = new int[MAX_NAMESPACES];
    private final int[] learnedByPort = new int[MAX_PORTS];
    /**
     * Each port's generation: {@link #retirePort} bumps it, and learned entries carrying an older
     * one are stale - invisible to lookups, overwritten by learning, removed by the aging sweep.
     * Forgetting a port's entries therefore costs O(1) on the worker, not a scan of the table.
     */
    private final int[] portGeneration = new int[MAX_PORTS];
    private long retiredPorts;
    private final int[] staticByPort = new int[MAX_PORTS];
    private final long[] learnResults = new long[LEARN_RESULT_COUNT];
    private final long[] removals = new long[2]; // [0] aged out, [1] removed or flushed

    /** A table for {@code maxEntries} entries, namespaces defaulting to {@link NamespaceSettings#DEFAULTS}. */
    public MacTable(final int maxEntries) {
        this(maxEntries, NamespaceSettings.DEFAULTS.macLimit(), NamespaceSettings.DEFAULTS.macAgingSeconds() * 1000);
    }

    /**
     * @param maxEntries     entries learning may fill (1..{@value #MAX_ENTRIES}); the table has the
     *                       next power of two at or above twice as many slots
     * @param defaultLimit   learned entries each namespace may hold until {@link #setLimit} says otherwise
     * @param defaultAgingMs aging time of each namespace until {@link #setAgingMs} says otherwise
     */
    public MacTable(final int maxEntries, final int defaultLimit, final int defaultAgingMs) {
        if (maxEntries < 1 || maxEntries > MAX_ENTRIES) {
            throw new IllegalArgumentException("MAC table capacity must be 1.." + MAX_ENTRIES + " entries, got " + maxEntries);
        }
        checkLimit(defaultLimit);
        checkAging(defaultAgingMs);
        final long slots = Math.max(8L, Long.highestOneBit(2L * maxEntries - 1) << 1);
        final long bytes = HEADER_BYTES + (slots << ENTRY_SHIFT);
        // Large tables are backed by huge pages: with 4 KiB pages a random lookup in a 64 MiB
        // table misses the TLB as well as the cache.
        this.region = OffHeapRegion.allocate(bytes, 64);
        this.memory = region.segment();
        this.sequenceAddress = memory.address();
        this.entriesAddress = memory.address() + HEADER_BYTES;
        this.slotMask = slots - 1;
        this.lineMask = (slots >>> LINE_SHIFT) - 1;
        this.maxEntries = maxEntries;
        this.hardCapacity = slots - slots / 4;
        this.epochNanos = System.nanoTime();
        java.util.Arrays.fill(limitByNamespace, defaultLimit);
        java.util.Arrays.fill(agingMsByNamespace, defaultAgingMs);
    }

    // ------------------------------------------------------------------ hot path, any thread

    /**
     * The port behind {@code mac} in namespace {@code namespaceId}, or {@link #MISS}. Any thread.
     * The namespace id is taken modulo 65536 (callers pass ids they classified, 0..65535).
     */
    public int lookup(final int namespaceId, final long mac) {
        final long key = keyOf(namespaceId, mac);
        final long home = homeOf(key);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            final long before = UnsafeApi.getLongAcquire(null, sequenceAddress);
            final int port = probe(key, home);
            UnsafeApi.loadLoadFence();
            if ((before & 1) == 0 && before == UnsafeApi.getLongAcquire(null, sequenceAddress)) {
                return port;
            }
            Thread.onSpinWait();
        }
        return MISS;
    }

    /**
     * {@link #lookup} for the owner thread: no seqlock, since the owner never reads in the middle of
     * its own deletion. The worker's hot path uses this; other threads must use {@link #lookup}.
     */
    public int lookupAsOwner(final int namespaceId, final long mac) {
        final long key = keyOf(namespaceId, mac);
        long slot = homeOf(key);
        for (long probes = 0; probes <= slotMask; probes++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address); // plain: the owner wrote it
            if (stored == EMPTY) {
                return MISS;
            }
            if (stored == key) {
                return portOf(UnsafeApi.getLong(null, address + VALUE_OFFSET));
            }
            slot = (slot + 1) & slotMask;
        }
        return MISS;
    }

    /**
     * Looks up a burst: {@code ports[i] = lookup(namespaceIds[i], macs[i])} for i in [0, count).
     * Any thread. Faster per frame than single lookups on a table larger than the caches: a first
     * pass loads the home line of every key, so the cache (and TLB) misses of the whole burst are
     * in flight together instead of one after the other; the probes then mostly hit the cache.
     */
    public void lookupBurst(final int count, final int[] namespaceIds, final long[] macs, final int[] ports) {
        touchHomeLines(count, namespaceIds, macs);
        for (int i = 0; i < count; i++) {
            ports[i] = lookup(namespaceIds[i], macs[i]);
        }
    }

    /**
     * Loads the first word of each key's home line. The loaded values feed a comparison the JIT
     * cannot fold, so the loads are not dead code; the CPU does not wait for them (the branch is
     * predicted), so the misses overlap. Reads only: safe on any thread, racing or not.
     */
    private void touchHomeLines(final int count, final int[] namespaceIds, final long[] macs) {
        long touched = 0;
        for (int i = 0; i < count; i++) {
            touched += touch(namespaceIds[i], macs[i]);
        }
        if (touched == 0x5EED_0F_7AB1E5L) {
            Thread.onSpinWait(); // an unlikely sum does a harmless thing
        }
    }

    private int probe(final long key, final long home) {
        long slot = home;
        for (long probes = 0; probes <= slotMask; probes++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLongAcquire(null, address);
            // Empty is tested first, so the one unrepresentable key (which equals EMPTY) never matches.
            if (stored == EMPTY) {
                return MISS;
            }
            if (stored == key) {
                return portOf(UnsafeApi.getLongOpaque(null, address + VALUE_OFFSET));
            }
            slot = (slot + 1) & slotMask;
        }
        return MISS;
    }

    // ------------------------------------------------------------------ hot path, owner only

    /**
     * Learns that {@code mac} (a frame's source) is behind {@code port} in {@code namespaceId} at
     * {@code nowMs} ({@link #nowMs()}, or a per-burst copy of it). Owner thread only. Returns one of
     * {@link #LEARNED}, {@link #REFRESHED}, {@link #MOVED}, {@link #STATIC_UNCHANGED},
     * {@link #LIMIT_REACHED}, {@link #TABLE_FULL}, {@link #INVALID}, each also counted.
     */
    public int learn(final int namespaceId, final long mac, final int port, final int nowMs) {
        if (!isStationAddress(mac) || (port & ~PORT_MASK) != 0) {
            return counted(INVALID);
        }
        final long key = keyOf(namespaceId, mac);
        long slot = homeOf(key);
        for (long probes = 0; probes <= slotMask; probes++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address);
            if (stored == key) {
                return relearn(address, port, nowMs);
            }
            if (stored == EMPTY) {
                return learnNew(address, key, namespaceId & NAMESPACE_MASK, port, nowMs);
            }
            slot = (slot + 1) & slotMask;
        }
        return counted(TABLE_FULL); // unreachable: the table always keeps a quarter of its slots empty
    }

    /**
     * Learns a burst of sources: {@code results[i] = learn(namespaceIds[i], macs[i], ports[i], nowMs)}
     * for i in [0, count), with the home lines of the whole burst loaded first as in
     * {@link #lookupBurst}. Owner thread only.
     */
    public void learnBurst(final int count, final int[] namespaceIds, final long[] macs, final int[] ports,
                           final int nowMs, final int[] results) {
        touchHomeLines(count, namespaceIds, macs);
        for (int i = 0; i < count; i++) {
            results[i] = learn(namespaceIds[i], macs[i], ports[i], nowMs);
        }
    }

    private int relearn(final long address, final int port, final int nowMs) {
        final long value = UnsafeApi.getLong(null, address + VALUE_OFFSET);
        if ((value & STATIC_FLAG) != 0) {
            return counted(STATIC_UNCHANGED);
        }
        if (isStale(value)) {
            // Its port was retired: the entry still counts for its namespace, now for this port too.
            learnedByPort[port]++;
            UnsafeApi.putLongOpaque(null, address + VALUE_OFFSET, valueOf(port, false, nowMs));
            return counted(LEARNED);
        }
        final int oldPort = (int) (value & PORT_MASK);
        if (oldPort == port) {
            if (nowMs - lastSeenOf(value) >= REFRESH_GRANULARITY_MS) {
                UnsafeApi.putLongOpaque(null, address + VALUE_OFFSET, valueOf(port, false, nowMs));
            }
            return counted(REFRESHED);
        }
        learnedByPort[oldPort]--;
        learnedByPort[port]++;
        UnsafeApi.putLongOpaque(null, address + VALUE_OFFSET, valueOf(port, false, nowMs));
        return counted(MOVED);
    }

    private int learnNew(final long address, final long key, final int namespace, final int port, final int nowMs) {
        if (learnedByNamespace[namespace] >= limitByNamespace[namespace]) {
            return counted(LIMIT_REACHED);
        }
        if (size >= maxEntries) {
            return counted(TABLE_FULL);
        }
        publish(address, key, valueOf(port, false, nowMs));
        size++;
        learnedByNamespace[namespace]++;
        learnedByPort[port]++;
        return counted(LEARNED);
    }

    private int counted(final int result) {
        learnResults[result]++;
        return result;
    }

    /**
     * Incremental aging sweep, owner thread, between bursts: examines up to {@code maxSlotsToScan}
     * slots from where the previous call stopped (wrapping around the table) and removes dynamic
     * entries not seen for their namespace's aging time. Static entries are never aged. A slot
     * emptied by a removal is examined again (the backward shift may have moved a later entry into
     * it) and counts against the budget. Returns how many entries it removed.
     *
     * <p>A slot costs a few ns (4..14 ns measured over a 128 MiB table on the development VM), so a
     * budget of a thousand slots keeps a call to microseconds. To age with a precision of P ms the
     * sweep should cover {@link #slots()} every P ms. The
     * int clock is compared by subtraction, so every entry must be examined at least once every
     * 2^31 ms (24 days) - any sweep at all does that.
     */
    public int age(final int nowMs, final int maxSlotsToScan) {
        int removed = 0;
        long slot = sweepSlot;
        for (int scanned = 0; scanned < maxSlotsToScan; scanned++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long key = UnsafeApi.getLong(null, address);
            if (key != EMPTY) {
                final long value = UnsafeApi.getLong(null, address + VALUE_OFFSET);
                if ((value & STATIC_FLAG) == 0
                    && (isStale(value) || nowMs - lastSeenOf(value) >= agingMsByNamespace[namespaceOf(key)])) {
                    removeAt(slot, key, value);
                    removed++;
                    continue;
                }
            }
            slot = (slot + 1) & slotMask;
        }
        sweepSlot = slot;
        removals[0] += removed;
        return removed;
    }

    // ------------------------------------------------------------------ control path, owner only

    /**
     * Configures a static entry (replacing any learned or static entry for the station). Not
     * limited by the namespace limit nor by {@link #maxEntries()}; false only when the table is at
     * its hard capacity. Owner thread only.
     *
     * @throws IllegalArgumentException for a namespace or port out of range, or a group or zero MAC
     */
    public boolean addStatic(final int namespaceId, final long mac, final int port) {
        checkNamespace(namespaceId);
        checkPort(port);
        if (!isStationAddress(mac)) {
            throw new IllegalArgumentException("a static MAC entry needs a unicast, non-zero MAC, got "
                + String.format("%012x", mac));
        }
        final long key = keyOf(namespaceId, mac);
        final long value = valueOf(port, true, nowMs());
        long slot = homeOf(key);
        for (long probes = 0; probes <= slotMask; probes++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address);
            if (stored == key) {
                final long old = UnsafeApi.getLong(null, address + VALUE_OFFSET);
                forget(namespaceId, old);
                remember(namespaceId, value);
                UnsafeApi.putLongOpaque(null, address + VALUE_OFFSET, value);
                return true;
            }
            if (stored == EMPTY) {
                if (size >= hardCapacity) {
                    return false;
                }
                publish(address, key, value);
                size++;
                remember(namespaceId, value);
                return true;
            }
            slot = (slot + 1) & slotMask;
        }
        return false;
    }

    /** Removes the entry (learned or static) for {@code mac} in {@code namespaceId}; false if there was none. Owner thread only. */
    public boolean remove(final int namespaceId, final long mac) {
        final long key = keyOf(namespaceId, mac);
        long slot = homeOf(key);
        for (long probes = 0; probes <= slotMask; probes++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address);
            if (stored == EMPTY) {
                return false;
            }
            if (stored == key) {
                removeAt(slot, key, UnsafeApi.getLong(null, address + VALUE_OFFSET));
                removals[1]++;
                return true;
            }
            slot = (slot + 1) & slotMask;
        }
        return false;
    }

    /**
     * Forgets, in O(1), every learned entry behind {@code port} in every namespace: the port's
     * generation moves on, so those entries stop matching at once (lookups miss, learning takes
     * the slot over) and the aging sweep removes them over the following sweeps. Until then they
     * still count toward their namespace's limit and the table's capacity: never more than before.
     * The worker uses this when a port goes down, moves or leaves, so forwarding never waits for a
     * scan of the table. Static entries are not affected. Owner thread only.
     *
     * <p>Generations are 19 bits: a port would have to be retired 524,288 times before one full
     * sweep of the table for an entry of its first generation to come back.
     */
    public void retirePort(final int port) {
        checkPort(port);
        portGeneration[port] = (portGeneration[port] + 1) & GENERATION_MASK;
        learnedByPort[port] = 0;
        retiredPorts++;
    }

    /** Learned entries currently behind {@code port} (stale ones of a retired port excluded). */
    public int learnedCountByPort(final int port) {
        checkPort(port);
        return learnedByPort[port];
    }

    /** Forgets the learned entries behind {@code port} in every namespace. Returns how many. Owner thread only. */
    public int flushPort(final int port) {
        return flushPort(port, false);
    }

    /** Forgets the entries behind {@code port} in every namespace, static ones too if asked. Owner thread only. */
    public int flushPort(final int port, final boolean includeStatic) {
        checkPort(port);
        final long expected = learnedByPort[port] + (includeStatic ? staticByPort[port] : 0L);
        return flush(-1, port, includeStatic, expected);
    }

    /** Forgets the learned entries behind {@code port} in {@code namespaceId}. Owner thread only. */
    public int flushPort(final int namespaceId, final int port) {
        return flushPort(namespaceId, port, false);
    }

    /** Forgets the entries behind {@code port} in {@code namespaceId}, static ones too if asked. Owner thread only. */
    public int flushPort(final int namespaceId, final int port, final boolean includeStatic) {
        checkNamespace(namespaceId);
        checkPort(port);
        final long inPort = learnedByPort[port] + (includeStatic ? staticByPort[port] : 0L);
        final long inNamespace = learnedByNamespace[namespaceId] + (includeStatic ? staticByNamespace[namespaceId] : 0L);
        return inPort == 0 || inNamespace == 0 ? 0 : flush(namespaceId, port, includeStatic, Long.MAX_VALUE);
    }

    /** Forgets the learned entries of {@code namespaceId}. Owner thread only. */
    public int flushNamespace(final int namespaceId) {
        return flushNamespace(namespaceId, false);
    }

    /**
     * Forgets the entries of {@code namespaceId}, static ones too if asked (a deleted namespace
     * must leave nothing behind: pass true). Owner thread only.
     */
    public int flushNamespace(final int namespaceId, final boolean includeStatic) {
        checkNamespace(namespaceId);
        final long expected = learnedByNamespace[namespaceId] + (includeStatic ? staticByNamespace[namespaceId] : 0L);
        return flush(namespaceId, -1, includeStatic, expected);
    }

    /**
     * One pass over the slots removing matching entries, stopping early once {@code expected}
     * (what the counts say there is) are gone. A single pass from slot 0 finds every match: the
     * backward shift moves entries only into the slot being examined or later ones, except where
     * a probe run wraps past the end, and what wraps back comes from slots already examined.
     * Costs up to one read of the whole table while the worker waits: measured 30..80 ms for the
     * 8M slots (128 MiB) of a 4M-entry table on the development VM, proportionally less for smaller
     * tables; nothing when the counts say there is nothing to remove.
     */
    private int flush(final int namespace, final int port, final boolean includeStatic, final long expected) {
        int removed = 0;
        long slot = 0;
        while (slot <= slotMask && removed < expected) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long key = UnsafeApi.getLong(null, address);
            if (key != EMPTY) {
                final long value = UnsafeApi.getLong(null, address + VALUE_OFFSET);
                if ((includeStatic || (value & STATIC_FLAG) == 0)
                    && (namespace < 0 || namespaceOf(key) == namespace)
                    && (port < 0 || (value & PORT_MASK) == port)) {
                    removeAt(slot, key, value);
                    removed++;
                    continue;
                }
            }
            slot++;
        }
        removals[1] += removed;
        return removed;
    }

    /** Limit on learned entries of {@code namespaceId} (0 turns learning off). A limit below the current count removes nothing: learning resumes once aging brings the count under it. Owner thread only. */
    public void setLimit(final int namespaceId, final int limit) {
        checkNamespace(namespaceId);
        checkLimit(limit);
        limitByNamespace[namespaceId] = limit;
    }

    /** Aging time of the learned entries of {@code namespaceId}, 1..{@value #MAX_AGING_MS} ms. Owner thread only. */
    public void setAgingMs(final int namespaceId, final int agingMs) {
        checkNamespace(namespaceId);
        checkAging(agingMs);
        agingMsByNamespace[namespaceId] = agingMs;
    }

    // ------------------------------------------------------------------ display, any thread

    /**
     * Calls {@code visitor} for each entry of {@code namespaceId}; returns how many. Any thread.
     * A full read of the table: for display, never for the hot path. Entries moved by concurrent
     * deletions may be skipped or shown twice; an entry is never torn.
     */
    public int forEach(final int namespaceId, final MacEntryVisitor visitor) {
        checkNamespace(namespaceId);
        return walk(namespaceId, visitor);
    }

    /** Calls {@code visitor} for every entry of every namespace; returns how many. Any thread, as {@link #forEach(int, MacEntryVisitor)}. */
    public int forEach(final MacEntryVisitor visitor) {
        return walk(-1, visitor);
    }

    private int walk(final int namespace, final MacEntryVisitor visitor) {
        int visited = 0;
        for (long slot = 0; slot <= slotMask; slot++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
                final long before = UnsafeApi.getLongAcquire(null, sequenceAddress);
                final long key = UnsafeApi.getLongAcquire(null, address);
                final long value = UnsafeApi.getLongOpaque(null, address + VALUE_OFFSET);
                UnsafeApi.loadLoadFence();
                if ((before & 1) == 0 && before == UnsafeApi.getLongAcquire(null, sequenceAddress)) {
                    if (key != EMPTY && !isStale(value) && (namespace < 0 || namespaceOf(key) == namespace)) {
                        visitor.accept(namespaceOf(key), ~key & MAC_MASK, (int) (value & PORT_MASK),
                            (value & STATIC_FLAG) != 0, lastSeenOf(value));
                        visited++;
                    }
                    break;
                }
                Thread.onSpinWait();
            }
        }
        return visited;
    }

    /** Entries learned plus static in {@code namespaceId}. */
    public int count(final int namespaceId) {
        return learnedCount(namespaceId) + staticCount(namespaceId);
    }

    /** Learned (dynamic) entries in {@code namespaceId}: what the namespace limit bounds. */
    public int learnedCount(final int namespaceId) {
        return learnedByNamespace[namespaceId & NAMESPACE_MASK];
    }

    public int staticCount(final int namespaceId) {
        return staticByNamespace[namespaceId & NAMESPACE_MASK];
    }

    public int limit(final int namespaceId) {
        return limitByNamespace[namespaceId & NAMESPACE_MASK];
    }

    public int agingMs(final int namespaceId) {
        return agingMsByNamespace[namespaceId & NAMESPACE_MASK];
    }

    /** Entries in the table, all namespaces, learned and static. */
    public int size() {
        return size;
    }

    /** Entries learning may fill: the capacity asked for. */
    public int maxEntries() {
        return maxEntries;
    }

    /** Slots in the table (a power of two, at least 2 x {@link #maxEntries()}). */
    public long slots() {
        return slotMask + 1;
    }

    /** How many times {@link #learn} has answered {@code result} ({@link #LEARNED} .. {@link #INVALID}). Any thread. */
    public long learnResultCount(final int result) {
        return (long) LONG_ARRAY.getOpaque(learnResults, result);
    }

    /** Entries removed by {@link #age}. Any thread. */
    public long agedOutCount() {
        return (long) LONG_ARRAY.getOpaque(removals, 0);
    }

    /** Entries removed by {@link #remove} and the flushes. Any thread. */
    public long removedCount() {
        return (long) LONG_ARRAY.getOpaque(removals, 1);
    }

    /** The table's memory, e.g. for madvise; its contents are the table's business. */
    public MemorySegment memory() {
        return memory;
    }

    /** Milliseconds on the table's clock: the {@code nowMs} that {@link #learn} and {@link #age} take. */
    public int nowMs() {
        return clockMs(System.nanoTime());
    }

    /** The table's clock at {@code nanoTime} (a {@link System#nanoTime()} reading). */
    public int clockMs(final long nanoTime) {
        return (int) ((nanoTime - epochNanos) / 1_000_000L);
    }

    /** Frees the memory. Only when no thread uses the table any more: the raw accesses are not guarded. */
    @Override
    public void close() {
        region.close();
    }

    // ------------------------------------------------------------------ internals

    /** Whether {@code mac} may be a table entry: a station (individual) address, not all zeros. */
    private static boolean isStationAddress(final long mac) {
        return (mac & GROUP_BIT) == 0 && (mac & MAC_MASK) != 0;
    }

    static long keyOf(final int namespaceId, final long mac) {
        return ~(((long) namespaceId << 48) | (mac & MAC_MASK));
    }

    private static int namespaceOf(final long key) {
        return (int) (~key >>> 48);
    }

    private long valueOf(final int port, final boolean isStatic, final int lastSeenMs) {
        final long generation = isStatic ? 0 : (long) portGeneration[port] << GENERATION_SHIFT;
        return ((long) lastSeenMs << 32) | generation | (isStatic ? STATIC_FLAG : 0) | port;
    }

    /** A learned entry whose port has been retired since it was learned (static entries never are). */
    private boolean isStale(final long value) {
        return (value & STATIC_FLAG) == 0
            && (int) ((value >>> GENERATION_SHIFT) & GENERATION_MASK) != portGeneration[(int) (value & PORT_MASK)];
    }

    /** The port an entry sends to, or {@link #MISS} for a stale one. */
    private int portOf(final long value) {
        return isStale(value) ? MISS : (int) (value & PORT_MASK);
    }

    private static int lastSeenOf(final long value) {
        return (int) (value >>> 32);
    }

    /**
     * Loads the first word of the line a lookup or learn of {@code mac} will probe, and returns it
     * (callers fold it into a value they keep, so the load is not optimised away). A worker calls
     * this for every frame of a vector before it learns and looks up any of them: the loads are
     * independent, so the CPU overlaps their cache misses instead of taking them one at a time
     * (Java has no prefetch instruction; an early plain load is the portable equivalent).
     */
    public long touch(final int namespaceId, final long mac) {
        return UnsafeApi.getLong(null, entriesAddress + (homeOf(keyOf(namespaceId, mac)) << ENTRY_SHIFT));
    }

    /** The first slot a lookup of {@code mac} in {@code namespaceId} probes (tests check where entries land). */
    long homeSlot(final int namespaceId, final long mac) {
        return homeOf(keyOf(namespaceId, mac));
    }

    /** First slot of the key's home line. */
    private long homeOf(final long key) {
        return (mix(key) & lineMask) << LINE_SHIFT;
    }

    /**
     * 64-bit finaliser: two rounds of xor-shift then multiply by an odd constant, and a last
     * xor-shift, so every key bit reaches the low bits that pick the line (MACs from one vendor
     * differ only in their low 24 bits, namespace ids only in the top 16).
     */
    static long mix(final long key) {
        long h = key ^ (key >>> 31);
        h *= 0x9E37_79B9_7F4A_7C15L;
        h ^= h >>> 29;
        h *= 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 32;
        return h;
    }

    /** Fills an empty slot: value first, then the key with release, so a reader that sees the key sees the value. */
    private static void publish(final long address, final long key, final long value) {
        UnsafeApi.putLongOpaque(null, address + VALUE_OFFSET, value);
        UnsafeApi.putLongRelease(null, address, key);
    }

    private void remember(final int namespace, final long value) {
        final int port = (int) (value & PORT_MASK);
        if ((value & STATIC_FLAG) != 0) {
            staticByNamespace[namespace]++;
            staticByPort[port]++;
        } else {
            learnedByNamespace[namespace]++;
            learnedByPort[port]++;
        }
    }

    private void forget(final int namespace, final long value) {
        final int port = (int) (value & PORT_MASK);
        if ((value & STATIC_FLAG) != 0) {
            staticByNamespace[namespace]--;
            staticByPort[port]--;
        } else {
            learnedByNamespace[namespace]--;
            if (!isStale(value)) {
                learnedByPort[port]--; // a retired port's count was zeroed when it was retired
            }
        }
    }

    /**
     * Deletes the entry in {@code slot} by backward shift: each later entry of the probe run that
     * may live earlier (its home is not between the hole and itself) moves into the hole, leaving
     * its own slot as the new hole, until an empty slot ends the run. Bracketed by the sequence
     * counter so concurrent readers notice and retry.
     */
    private void removeAt(final long slot, final long key, final long value) {
        forget(namespaceOf(key), value);
        size--;
        final long next = sequence + 1;
        sequence = next + 1;
        UnsafeApi.putLongOpaque(null, sequenceAddress, next);          // odd: deletion in progress
        UnsafeApi.storeStoreFence();
        long hole = slot;
        long probe = slot;
        for (long n = 0; n < slotMask; n++) {
            probe = (probe + 1) & slotMask;
            final long address = entriesAddress + (probe << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address);
            if (stored == EMPTY) {
                break;
            }
            final long home = homeOf(stored);
            if (((probe - home) & slotMask) >= ((probe - hole) & slotMask)) {
                final long holeAddress = entriesAddress + (hole << ENTRY_SHIFT);
                UnsafeApi.putLongOpaque(null, holeAddress + VALUE_OFFSET, UnsafeApi.getLong(null, address + VALUE_OFFSET));
                UnsafeApi.putLongOpaque(null, holeAddress, stored);
                hole = probe;
            }
        }
        UnsafeApi.putLongOpaque(null, entriesAddress + (hole << ENTRY_SHIFT), EMPTY);
        UnsafeApi.putLongRelease(null, sequenceAddress, next + 1);     // even: settled
    }

    private static void checkNamespace(final int namespaceId) {
        if (namespaceId < 0 || namespaceId >= MAX_NAMESPACES) {
            throw new IllegalArgumentException("namespace id must be 0.." + (MAX_NAMESPACES - 1) + ", got " + namespaceId);
        }
    }

    private static void checkPort(final int port) {
        if (port < 0 || port >= MAX_PORTS) {
            throw new IllegalArgumentException("port index must be 0.." + (MAX_PORTS - 1) + ", got " + port);
        }
    }

    private static void checkLimit(final int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("MAC limit must be >= 0, got " + limit);
        }
    }

    private static void checkAging(final int agingMs) {
        if (agingMs < 1 || agingMs > MAX_AGING_MS) {
            throw new IllegalArgumentException("MAC aging must be 1.." + MAX_AGING_MS + " ms, got " + agingMs);
        }
    }
}
