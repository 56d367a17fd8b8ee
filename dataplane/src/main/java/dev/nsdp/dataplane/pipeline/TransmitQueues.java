package dev.nsdp.dataplane.pipeline;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.namespace.ForwardingPlane;
import dev.nsdp.dataplane.port.Port;

/**
 * One outgoing vector per port: the switch appends frames as it decides their egress, and the
 * worker flushes every vector once per poll round, so each port gets one transmit call (one kernel
 * kick) per burst. A vector that fills up mid-burst is flushed at once.
 */
final class TransmitQueues {
    private final PacketVector[] vectors = new PacketVector[ForwardingPlane.MAX_PORTS];
    private final int[] pending = new int[ForwardingPlane.MAX_PORTS];
    private final boolean[] isPending = new boolean[ForwardingPlane.MAX_PORTS];
    private int pendingCount;
    private final Port[] ports;
    private final WorkerCounters counters;
    private final BufferCache cache;

    TransmitQueues(final Port[] ports, final WorkerCounters counters, final BufferCache cache) {
        this.ports = ports;
        this.counters = counters;
        this.cache = cache;
    }

    void open(final int port) {
        if (vectors[port] == null) {
            vectors[port] = new PacketVector();
        }
    }

    /** Frees whatever waits for {@code port} (it is being detached). */
    void discard(final int port) {
        final PacketVector v = vectors[port];
        if (v != null) {
            v.freeAll(cache);
            vectors[port] = null;
        }
    }

    void enqueue(final int port, final long descriptor) {
        final PacketVector v = vectors[port];
        if (!isPending[port]) {
            isPending[port] = true;
            pending[pendingCount++] = port;
        }
        v.add(descriptor, port);
        if (v.isFull()) {
            flush(port, v);
        }
    }

    void flushAll() {
        for (int i = 0; i < pendingCount; i++) {
            final int port = pending[i];
            isPending[port] = false;
            final PacketVector v = vectors[port];
            if (v != null && v.count() > 0) {
                flush(port, v);
            }
        }
        pendingCount = 0;
    }

    private void flush(final int port, final PacketVector v) {
        final int count = v.count();
        final int sent = ports[port].transmit(v, cache);
        long bytes = 0;
        for (int i = 0; i < sent; i++) {
            bytes += Descriptor.length(v.descriptor(i));
        }
        final int line = port * WorkerCounters.STRIDE;
        counters.port[line + WorkerCounters.TX_PACKETS] += sent;
        counters.port[line + WorkerCounters.TX_BYTES] += bytes;
        if (sent < count) {
            for (int i = sent; i < count; i++) {
                cache.free(v.descriptor(i));
            }
            final int lost = count - sent;
            counters.drops[DropReason.TX_RING_FULL.ordinal()] += lost;
            counters.port[line + WorkerCounters.DROPS] += lost;
        }
        v.clear();
    }
}
