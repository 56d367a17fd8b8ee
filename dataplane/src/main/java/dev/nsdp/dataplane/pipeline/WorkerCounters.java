package dev.nsdp.dataplane.pipeline;

import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.namespace.ForwardingPlane;

/**
 * A worker's counters: per port, per namespace, drops by reason, and the worker's own runtime
 * (VPP's `show runtime`: busy and idle polls, busy nanoseconds, vectors).
 *
 * <p>Each port's and each namespace's counters sit together in one 64-byte line ({@link #STRIDE}
 * longs), so a frame of namespace N touches one line of namespace counters however many
 * namespaces there are. Written only by the worker thread with plain stores; other threads read
 * them for display (aligned longs never tear on 64-bit JVMs; a reader may see a value a burst old).
 */
public final class WorkerCounters {
    static final int STRIDE = 8;
    // Offsets within a port's or namespace's line.
    static final int RX_PACKETS = 0;
    static final int RX_BYTES = 1;
    static final int TX_PACKETS = 2;
    static final int TX_BYTES = 3;
    static final int DROPS = 4;
    static final int FLOODS = 5;
    static final int MAC_LIMIT_HITS = 6;

    final long[] port = new long[ForwardingPlane.MAX_PORTS * STRIDE];
    final long[] namespace = new long[ForwardingPlane.MAX_NAMESPACES * STRIDE];

    /** Drops by {@link DropReason} ordinal, all namespaces together. */
    final long[] drops = new long[DropReason.count()];

    public long busyPolls;
    public long idlePolls;
    /** Idle rounds that ended in a blocking wait (poll() or park), not a spin. */
    public long idleWaits;
    public long busyNanos;
    public long vectors;
    public long vectorPackets;
    public long commandsApplied;
    public long macsAged;

    public long drops(final DropReason reason) {
        return drops[reason.ordinal()];
    }

    public long totalDrops() {
        long sum = 0;
        for (int i = 1; i < drops.length; i++) {
            sum += drops[i];
        }
        return sum;
    }

    public long portRxPackets(final int p) {
        return port[p * STRIDE + RX_PACKETS];
    }

    public long portRxBytes(final int p) {
        return port[p * STRIDE + RX_BYTES];
    }

    public long portTxPackets(final int p) {
        return port[p * STRIDE + TX_PACKETS];
    }

    public long portTxBytes(final int p) {
        return port[p * STRIDE + TX_BYTES];
    }

    public long portDrops(final int p) {
        return port[p * STRIDE + DROPS];
    }

    public long namespaceRxPackets(final int ns) {
        return namespace[ns * STRIDE + RX_PACKETS];
    }

    public long namespaceRxBytes(final int ns) {
        return namespace[ns * STRIDE + RX_BYTES];
    }

    public long namespaceTxPackets(final int ns) {
        return namespace[ns * STRIDE + TX_PACKETS];
    }

    public long namespaceTxBytes(final int ns) {
        return namespace[ns * STRIDE + TX_BYTES];
    }

    public long namespaceDrops(final int ns) {
        return namespace[ns * STRIDE + DROPS];
    }

    public long namespaceFloods(final int ns) {
        return namespace[ns * STRIDE + FLOODS];
    }

    public long namespaceMacLimitHits(final int ns) {
        return namespace[ns * STRIDE + MAC_LIMIT_HITS];
    }

    /** Average busy nanoseconds per received frame (the DUT's cost per packet). */
    public double busyNanosPerPacket() {
        return vectorPackets == 0 ? 0 : (double) busyNanos / vectorPackets;
    }

    /** Clears a namespace's counters when its id is reused. */
    void resetNamespace(final int ns) {
        java.util.Arrays.fill(namespace, ns * STRIDE, ns * STRIDE + STRIDE, 0L);
    }

    /** Clears a port's counters when its index is reused. */
    void resetPort(final int p) {
        java.util.Arrays.fill(port, p * STRIDE, p * STRIDE + STRIDE, 0L);
    }
}
