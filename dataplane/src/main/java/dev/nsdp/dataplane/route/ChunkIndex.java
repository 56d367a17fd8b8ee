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
 * <p>Ordering, the {@code MacTable} argument: an insert writes the reference, then the key with
 * release; a reference update is one release store (the block it names was fully written before).
 * Removal shifts later entries back into the hole (no tombstones) and is the one change that can
 * hide a present key from a reader mid-probe: the writer brackets it with the {@linkplain
 * #beginChange() sequence} (odd while changing), which readers check around a whole lookup. The
 * same sequence also guards block reuse ({@link BlockPool}) and short-prefix changes.
 */
final class ChunkIndex implements AutoCloseable {
    private static final long HEADER_BYTES = 128; // the sequence alone on its lines
    private static final int ENTRY_SHIFT = 4;
    private static final int LINE_SHIFT = 2;

    private final OffHeapRegion region;
    private final long sequenceAddress;
    private final long entriesAddress;
    private final long slotMask;
    private final long lineMask;
    private final long maxChunks;
    private final long bytes;
    private long sequence;
    private long size;

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

    /** Makes the sequence odd: readers overlapping from here on retry. */
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

    /** Inserts {@code key} or points it at {@code ref}; the caller checked {@link #isFull()} for a new key. */
    void put(final long key, final int ref) {
        long slot = homeOf(key);
        for (long probes = 0; probes <= slotMask; probes++) {
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address);
            if (stored == key) {
                UnsafeApi.putLongRelease(null, address + 8, ref & 0xFFFF_FFFFL);
                return;
            }
            if (stored == 0) {
                if (size >= maxChunks) {
                    throw new IllegalStateException("route table full: " + maxChunks + " chunks");
                }
                UnsafeApi.putLong(null, address + 8, ref & 0xFFFF_FFFFL);
                UnsafeApi.putLongRelease(null, address, key);
                size++;
                return;
            }
            slot = (slot + 1) & slotMask;
        }
        throw new IllegalStateException("route table full: " + maxChunks + " chunks");
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

    /** Removes {@code key}; the caller holds the sequence odd ({@link #beginChange()}). */
    void remove(final long key) {
        long hole = homeOf(key);
        long probes = 0;
        while (true) {
            final long stored = UnsafeApi.getLong(null, entriesAddress + (hole << ENTRY_SHIFT));
            if (stored == 0) {
                return;
            }
            if (stored == key) {
                break;
            }
            hole = (hole + 1) & slotMask;
            if (++probes > slotMask) {
                return;
            }
        }
        // Backward shift: pull every later entry of the run that may live at the hole into it.
        long slot = hole;
        while (true) {
            slot = (slot + 1) & slotMask;
            final long address = entriesAddress + (slot << ENTRY_SHIFT);
            final long stored = UnsafeApi.getLong(null, address);
            if (stored == 0) {
                break;
            }
            final long home = homeOf(stored);
            if (((slot - home) & slotMask) >= ((slot - hole) & slotMask)) {
                final long to = entriesAddress + (hole << ENTRY_SHIFT);
                UnsafeApi.putLongOpaque(null, to + 8, UnsafeApi.getLong(null, address + 8));
                UnsafeApi.putLongOpaque(null, to, stored);
                hole = slot;
            }
        }
        final long to = entriesAddress + (hole << ENTRY_SHIFT);
        UnsafeApi.putLongOpaque(null, to, 0L);
        UnsafeApi.putLongOpaque(null, to + 8, 0L);
        size--;
    }

    long memoryBytes() {
        return bytes;
    }

    @Override
    public void close() {
        region.close();
    }
}
