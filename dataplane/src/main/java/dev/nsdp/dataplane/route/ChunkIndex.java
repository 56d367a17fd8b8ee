package dev.nsdp.dataplane.route;

import dev.nsdp.dataplane.nativ.OffHeapRegion;
import org.agrona.UnsafeApi;

/**
 * The root level of a route table: an off-heap open-addressing hash from a chunk key (namespace id
 * plus the top bits of the address, or the namespace's short-prefix chunk) to the reference of the
 * block that holds the chunk's ranges. One index for every namespace (seed 004: a large table is
 * shared and filtered by namespace in the key).
 *
 * <p>An entry is 16 bytes, key then block reference, four to a 64-byte line; zero is an empty key,
 * so keys are made non-zero by their builders. The home of a key is the first slot of a line chosen
 * by a 64-bit mixer; probing is linear. Slots are a power of two at least twice the chunk capacity,
 * so a probe usually ends in its home line.
 *
 * <p>Ordering: an insert writes the reference, then the key with release; a reference update is
 * one release store (the block it names was fully written before). Removal never moves entries
 * (a backward shift could hide a present key from a reader mid-probe): it marks the key dead in
 * place ({@link #DEAD}, one release store), so a reader either matched it before - and reads the
 * old block, which the pool keeps until a sequence bump - or skips it. The same key coming back
 * revives its slot. A dead slot reused for another key could pair a stale key load with the new
 * reference, so that reuse first {@linkplain #bump() bumps} the sequence readers check around a
 * lookup. When dead slots reach a quarter of the index it is rebuilt in place under an odd
 * sequence ({@link #beginChange()}): the only time readers must wait for the writer, once per
 * slots/4 chunk removals.
 */
final class ChunkIndex implements AutoCloseable {
    private static final long HEADER_BYTES = 128; // the sequence alone on its lines
    private static final int ENTRY_SHIFT = 4;
    private static final int LINE_SHIFT = 2;
    /** Marks a removed key in place; live keys are below 2^62. */
    static final long DEAD = 1L << 62;

    private final OffHeapRegion region;
    private final long sequenceAddress;
    private final long entriesAddress;
    private final long slotMask;
    private final long lineMask;
    private final long maxChunks;
    private final long bytes;
    private long sequence;
    private long size;
    private long dead;

    ChunkIndex(final long maxChunks) {
        if (maxChunks < 1 || maxChunks > (1L << 32)) {
            throw new IllegalArgumentException("chunk capacity must be 1..2^32, got " + maxChunks);
        }
        final long slots = Math.max(16L, Long.highestOneBit(2L * maxChunks - 1) << 1);
        this.bytes = HEADER_BYTES + (slots << ENTRY_SHIFT);
        this.region = OffHeapRegion.allocate(bytes, 64);
        this.sequenceAddress = region.address();
        this.entriesAddress = region.address() + HEADER_BYTES;
        this.slotMask = slots - 1;
        this.lineMask = (slots >>> LINE_SHIFT) - 1;
        this.maxChunks = maxChunks;
    }

    static long mix(final long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        h ^= h >>> 32;
        h *= 0xD6E8_FEB8_6659_FD93L;
        return h ^ (h >>> 32);
    }

    private long homeOf(final long key) {
        return (mix(key) & lineMask) << LINE_SHIFT;
    }

    // ---------------------------------------------------------------- readers, any thread

    /** The sequence, acquire: even when no guarded change is under way. */
    long sequence() {
        return UnsafeApi.getLongAcquire(null, sequenceAddress);
    }

    /** The block reference of {@code key}, 0 when absent. Only meaningful inside a sequence check. */
    int find(final long key) {
        long slot = homeOf(key);
        for (long probes = 0; probes <= slotMask; probes++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLongAcquire(null, address);
            if (stored == 0) {
                return 0;
            }
            if (stored == key) {
                return (int) UnsafeApi.getLongAcquire(null, address + 8);
            }
            slot = (slot + 1) & slotMask;
        }
        return 0;
    }

    /** Loads the home line of {@code key} so a later {@link #find} hits the cache; returns a word of it. */
    long touch(final long key) {
        return UnsafeApi.getLong(null, entriesAddress + (homeOf(key) << ENTRY_SHIFT));
    }

    // ---------------------------------------------------------------- writer thread only

    boolean isFull() {
        return size >= maxChunks;
    }

    long size() {
        return size;
    }

    /** Makes the sequence odd: readers overlapping from here on retry until {@link #endChange()}. */
    void beginChange() {
        sequence++;
        UnsafeApi.putLongRelease(null, sequenceAddress, sequence);
        UnsafeApi.storeStoreFence();
    }

    /** Makes the sequence even again, after the guarded change. */
    void endChange() {
        sequence++;
        UnsafeApi.putLongRelease(null, sequenceAddress, sequence);
    }

    /**
     * Moves the sequence on (staying even) before a change that a reader must not combine with
     * what it read before it: every reader that started earlier retries, later ones just proceed.
     */
    void bump() {
        sequence += 2;
        UnsafeApi.putLongRelease(null, sequenceAddress, sequence);
        UnsafeApi.storeStoreFence();
    }

    /** Inserts {@code key} or points it at {@code ref}; the caller checked {@link #isFull()} for a new key. */
    void put(final long key, final int ref) {
        long slot = homeOf(key);
        long reusable = -1;
        for (long probes = 0; probes <= slotMask; probes++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address);
            if (stored == key) {
                UnsafeApi.putLongRelease(null, address + 8, ref & 0xFFFF_FFFFL);
                return;
            }
            if (stored == (key | DEAD)) { // the same key again: no reader can mistake it
                insertAt(address, key, ref);
                dead--;
                return;
            }
            if (stored == 0) {
                if (reusable >= 0) {
                    bump(); // a reader may hold the dead key's load: make it retry
                    insertAt(entriesAddress + (reusable << ENTRY_SHIFT), key, ref);
                    dead--;
                } else {
                    insertAt(address, key, ref);
                }
                return;
            }
            if (reusable < 0 && (stored & DEAD) != 0) {
                reusable = slot;
            }
            slot = (slot + 1) & slotMask;
        }
        throw new IllegalStateException("route table full: " + maxChunks + " chunks");
    }

    private void insertAt(final long address, final long key, final int ref) {
        if (size >= maxChunks) {
            throw new IllegalStateException("route table full: " + maxChunks + " chunks");
        }
        UnsafeApi.putLong(null, address + 8, ref & 0xFFFF_FFFFL);
        UnsafeApi.putLongRelease(null, address, key);
        size++;
    }

    /** The block reference of {@code key} for the writer (plain loads), 0 when absent. */
    int get(final long key) {
        long slot = homeOf(key);
        for (long probes = 0; probes <= slotMask; probes++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address);
            if (stored == 0) {
                return 0;
            }
            if (stored == key) {
                return (int) UnsafeApi.getLong(null, address + 8);
            }
            slot = (slot + 1) & slotMask;
        }
        return 0;
    }

    /** Removes {@code key}: marks it dead in place (its reference stays for readers that matched it). */
    void remove(final long key) {
        long slot = homeOf(key);
        for (long probes = 0; probes <= slotMask; probes++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address);
            if (stored == 0) {
                return;
            }
            if (stored == key) {
                UnsafeApi.putLongRelease(null, address, key | DEAD);
                size--;
                dead++;
                if (dead > (slotMask + 1) / 4) {
                    purge();
                }
                return;
            }
            slot = (slot + 1) & slotMask;
        }
    }

    /** Rebuilds the index without its dead slots, readers held off by an odd sequence. */
    private void purge() {
        final long live = size;
        final long[] keys = new long[(int) live];
        final int[] refs = new int[(int) live];
        int n = 0;
        for (long slot = 0; slot <= slotMask; slot++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address);
            if (stored != 0 && (stored & DEAD) == 0) {
                keys[n] = stored;
                refs[n] = (int) UnsafeApi.getLong(null, address + 8);
                n++;
            }
        }
        beginChange();
        UnsafeApi.setMemory(entriesAddress, (slotMask + 1) << ENTRY_SHIFT, (byte) 0);
        size = 0;
        dead = 0;
        for (int i = 0; i < n; i++) {
            put(keys[i], refs[i]);
        }
        endChange();
    }

    long memoryBytes() {
        return bytes;
    }

    @Override
    public void close() {
        region.close();
    }
}
