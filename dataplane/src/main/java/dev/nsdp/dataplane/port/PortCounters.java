package dev.nsdp.dataplane.port;

import dev.nsdp.dataplane.counter.DropReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What a kernel-backed port counted: frames and bytes each way, partial checksums it completed,
 * super-frames it segmented and datagrams it fragmented, TX kicks, and the frames it (or the kernel,
 * for this port) dropped, by {@link DropReason}. Received frames and bytes count what the port
 * handed on: the segments of a super-frame, not the super-frame.
 *
 * <p>One writer, the worker that owns the port, adds once per burst; any thread may read. Stores
 * and loads are opaque: a reader sees every value eventually and never a torn one, at the cost
 * of a plain store on x86.
 */
public final class PortCounters {
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    private static final int RX_FRAMES = 0;
    private static final int RX_BYTES = 1;
    private static final int TX_FRAMES = 2;
    private static final int TX_BYTES = 3;
    private static final int CHECKSUMS_COMPLETED = 4;
    private static final int CHECKSUMS_UNRESOLVED = 5;
    private static final int TX_KICKS = 6;
    private static final int TX_KICK_ERRORS = 7;
    private static final int VLAN_TAGS_RESTORED = 8;
    private static final int GSO_FRAMES = 9;
    private static final int GSO_SEGMENTS = 10;
    private static final int DATAGRAMS_FRAGMENTED = 11;
    private static final int FRAGMENTS = 12;
    private static final int OVERSIZE_COPIES = 13;
    private static final int DROPS = 14;

    private final long[] values = new long[DROPS + DropReason.count()];

    public long rxFrames() {
        return get(RX_FRAMES);
    }

    public long rxBytes() {
        return get(RX_BYTES);
    }

    public long txFrames() {
        return get(TX_FRAMES);
    }

    public long txBytes() {
        return get(TX_BYTES);
    }

    /** Received frames whose partial (CHECKSUM_PARTIAL) L4 checksum the port completed. */
    public long checksumsCompleted() {
        return get(CHECKSUMS_COMPLETED);
    }

    /** Received frames marked partial that were not TCP or UDP over IPv4/IPv6 as the port parses them: passed on as they were. */
    public long checksumsUnresolved() {
        return get(CHECKSUMS_UNRESOLVED);
    }

    /** Received frames whose VLAN tag the kernel had moved out of band and the port put back. */
    public long vlanTagsRestored() {
        return get(VLAN_TAGS_RESTORED);
    }

    /** GSO super-frames (TCP or UDP segmentation offload) the port received and segmented. */
    public long gsoFrames() {
        return get(GSO_FRAMES);
    }

    /** Frames the port made from GSO super-frames. */
    public long gsoSegments() {
        return get(GSO_SEGMENTS);
    }

    /** IPv4 datagrams too large for a pool buffer that the port cut into fragments. */
    public long datagramsFragmented() {
        return get(DATAGRAMS_FRAGMENTED);
    }

    /** Fragments the port made from those datagrams. */
    public long fragments() {
        return get(FRAGMENTS);
    }

    /** Frames larger than a ring slot that the port read whole from the socket's queue (PACKET_COPY_THRESH). */
    public long oversizeCopies() {
        return get(OVERSIZE_COPIES);
    }

    /** sendto() kicks of the TX ring (one per transmitted burst, plus retries). */
    public long txKicks() {
        return get(TX_KICKS);
    }

    /** Kicks that failed for a reason other than a full queue (ENETDOWN, ENXIO ...). */
    public long txKickErrors() {
        return get(TX_KICK_ERRORS);
    }

    public long drops(final DropReason reason) {
        return get(DROPS + reason.ordinal());
    }

    public long totalDrops() {
        long sum = 0;
        for (int i = DROPS; i < values.length; i++) {
            sum += get(i);
        }
        return sum;
    }

    void addRx(final int frames, final long bytes) {
        add(RX_FRAMES, frames);
        add(RX_BYTES, bytes);
    }

    void addTx(final int frames, final long bytes) {
        add(TX_FRAMES, frames);
        add(TX_BYTES, bytes);
    }

    void addChecksums(final int completed, final int unresolved) {
        add(CHECKSUMS_COMPLETED, completed);
        add(CHECKSUMS_UNRESOLVED, unresolved);
    }

    void addVlanTagsRestored(final int frames) {
        add(VLAN_TAGS_RESTORED, frames);
    }

    void addGso(final long frames, final long segments) {
        add(GSO_FRAMES, frames);
        add(GSO_SEGMENTS, segments);
    }

    void addFragmented(final long datagrams, final long fragments) {
        add(DATAGRAMS_FRAGMENTED, datagrams);
        add(FRAGMENTS, fragments);
    }

    void addOversizeCopies(final long frames) {
        add(OVERSIZE_COPIES, frames);
    }

    void addKick() {
        add(TX_KICKS, 1);
    }

    void addKickError() {
        add(TX_KICK_ERRORS, 1);
    }

    void addDrops(final DropReason reason, final long frames) {
        add(DROPS + reason.ordinal(), frames);
    }

    private void add(final int index, final long delta) {
        if (delta != 0) {
            VALUES.setOpaque(values, index, (long) VALUES.getOpaque(values, index) + delta);
        }
    }

    private long get(final int index) {
        return (long) VALUES.getOpaque(values, index);
    }

    @Override
    public String toString() {
        final StringBuilder s = new StringBuilder()
            .append("rx ").append(rxFrames()).append(" frames ").append(rxBytes()).append(" bytes, ")
            .append("tx ").append(txFrames()).append(" frames ").append(txBytes()).append(" bytes, ")
            .append("checksums completed ").append(checksumsCompleted());
        if (gsoFrames() != 0) {
            s.append(", gso ").append(gsoFrames()).append(" frames into ").append(gsoSegments()).append(" segments");
        }
        if (datagramsFragmented() != 0) {
            s.append(", fragmented ").append(datagramsFragmented()).append(" datagrams into ").append(fragments());
        }
        for (final DropReason reason : DropReason.values()) {
            final long n = drops(reason);
            if (n != 0) {
                s.append(", ").append(reason.counterName()).append(' ').append(n);
            }
        }
        return s.toString();
    }
}
