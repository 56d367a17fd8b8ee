package dev.nsdp.dataplane.pipeline;

import dev.nsdp.dataplane.buffer.BufferCache;
import dev.nsdp.dataplane.buffer.Descriptor;
import dev.nsdp.dataplane.buffer.PacketPool;
import dev.nsdp.dataplane.buffer.PacketVector;
import dev.nsdp.dataplane.codec.MacAddress;
import dev.nsdp.dataplane.codec.PacketParser;
import dev.nsdp.dataplane.codec.ParsedPacket;
import dev.nsdp.dataplane.counter.DropReason;
import dev.nsdp.dataplane.table.MacTable;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The switching stage, one received vector at a time, in three passes (VPP's nodes):
 * <ol>
 * <li>ethernet-input: validate each frame and classify it to its namespace (ingress port, or
 *     (port, outer VLAN) on a trunk, whose tag is then popped);</li>
 * <li>prefetch: when the MAC table is larger than the caches, touch the table line of every
 *     frame's source and destination, so the vector's cache misses overlap;</li>
 * <li>l2-learn and l2-forward: learn each source, then send the frame to the port its destination
 *     was learned on, or flood it to the namespace's other up ports.</li>
 * </ol>
 * The MAC table is shared by all namespaces and keyed by (namespace, MAC), so the same MAC in two
 * namespaces is two entries and a frame never leaves its namespace.
 */
final class L2Switch {
    private static final int TPID_8021Q = 0x8100;
    private static final int VLAN_TAG_LENGTH = 4;
    /** Below this many slots (1 MiB of table) the table stays in cache and the prefetch pass is skipped. */
    private static final long PREFETCH_MIN_SLOTS = 1 << 16;

    private final ForwardingState state;
    private final MacTable macs;
    private final TransmitQueues tx;
    private final WorkerCounters counters;
    private final PacketPool pool;
    private final UnsafeBuffer view;
    private final BufferCache cache;
    private final PacketParser parser = new PacketParser();
    private final ParsedPacket parsed = new ParsedPacket();
    private final boolean prefetch;

    // Per-vector scratch, filled by pass 1 for the frames that survive it.
    private final long[] frames = new long[PacketVector.MAX_SIZE];
    private final int[] inPorts = new int[PacketVector.MAX_SIZE];
    private final int[] namespaces = new int[PacketVector.MAX_SIZE];
    private final long[] sources = new long[PacketVector.MAX_SIZE];
    private final long[] destinations = new long[PacketVector.MAX_SIZE];
    /** Keeps the prefetch loads alive (a result nobody reads could be optimised away). */
    long prefetchSink;

    // Namespace rx/tx counts of the current run of frames from one namespace (most vectors are one
    // run): added to the namespace's counter line when the namespace changes and at the vector's end.
    private int runNamespace = ForwardingState.NO_NAMESPACE;
    private long runRxPackets;
    private long runRxBytes;
    private long runTxPackets;
    private long runTxBytes;

    L2Switch(
        final ForwardingState state,
        final MacTable macs,
        final TransmitQueues tx,
        final WorkerCounters counters,
        final BufferCache cache) {
        this.state = state;
        this.macs = macs;
        this.tx = tx;
        this.counters = counters;
        this.cache = cache;
        this.pool = cache.pool();
        this.view = pool.view();
        this.prefetch = macs.slots() >= PREFETCH_MIN_SLOTS;
    }

    void process(final PacketVector rx, final int nowMs) {
        if (prefetch) {
            final int n = classify(rx);
            prefetch(n);
            for (int i = 0; i < n; i++) {
                switchFrame(frames[i], inPorts[i], namespaces[i], sources[i], destinations[i], nowMs);
            }
        } else {
            // The table is in cache: nothing to overlap, so each frame goes straight through
            // without the round trip through the scratch arrays.
            final int count = rx.count();
            for (int i = 0; i < count; i++) {
                final long d = classifyOne(rx.descriptor(i), rx.port(i));
                if (d >= 0) {
                    switchFrame(d, rx.port(i), classifiedNamespace, parsed.srcMac, parsed.dstMac, nowMs);
                }
            }
        }
        endRun();
    }

    private void startRun(final int ns) {
        endRun();
        runNamespace = ns;
    }

    private void endRun() {
        if (runNamespace != ForwardingState.NO_NAMESPACE) {
            final int line = runNamespace * WorkerCounters.STRIDE;
            counters.namespace[line + WorkerCounters.RX_PACKETS] += runRxPackets;
            counters.namespace[line + WorkerCounters.RX_BYTES] += runRxBytes;
            counters.namespace[line + WorkerCounters.TX_PACKETS] += runTxPackets;
            counters.namespace[line + WorkerCounters.TX_BYTES] += runTxBytes;
            runNamespace = ForwardingState.NO_NAMESPACE;
            runRxPackets = 0;
            runRxBytes = 0;
            runTxPackets = 0;
            runTxBytes = 0;
        }
    }

    /** Pass 1: validate and classify; returns how many frames go on, compacted to the front of the scratch arrays. */
    private int classify(final PacketVector rx) {
        final int count = rx.count();
        int n = 0;
        for (int i = 0; i < count; i++) {
            final long d = classifyOne(rx.descriptor(i), rx.port(i));
            if (d >= 0) {
                frames[n] = d;
                inPorts[n] = rx.port(i);
                namespaces[n] = classifiedNamespace;
                sources[n] = parsed.srcMac;
                destinations[n] = parsed.dstMac;
                n++;
            }
        }
        return n;
    }

    /** Namespace of the frame {@link #classifyOne} accepted last. */
    private int classifiedNamespace;

    /**
     * Validates and classifies one frame: its descriptor (tag popped if it came by a trunk VLAN),
     * with {@link #classifiedNamespace} and {@link #parsed} describing it, or -1 if it was dropped.
     */
    private long classifyOne(final long received, final int inPort) {
        final int reason = parser.parse(view, pool.offsetOf(received), Descriptor.length(received), parsed);
        if (reason != DropReason.NONE.ordinal()) {
            drop(received, reason, inPort, ForwardingState.NO_NAMESPACE);
            return -1L;
        }
        final boolean fromTrunk = parsed.vlanCount > 0 && state.trunkVlanNamespace[inPort] != null;
        final int ns = state.classify(inPort, fromTrunk ? parsed.outerVlanId : ForwardingState.UNTAGGED);
        if (ns == ForwardingState.NO_NAMESPACE) {
            drop(received, DropReason.NO_NAMESPACE.ordinal(), inPort, ns);
            return -1L;
        }
        if (!state.namespaceSwitches[ns]) {
            drop(received, DropReason.NOT_SWITCHED_IN_L3_NAMESPACE.ordinal(), inPort, ns);
            return -1L;
        }
        classifiedNamespace = ns;
        return fromTrunk ? popOuterTag(received) : received;
    }

    /** Pass 2: independent loads of every table line (and namespace counter line) pass 3 will need. */
    private void prefetch(final int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            final int ns = namespaces[i];
            sink += macs.touch(ns, sources[i]);
            sink += macs.touch(ns, destinations[i]);
            sink += counters.namespace[ns * WorkerCounters.STRIDE];
        }
        prefetchSink += sink;
    }

    /** Pass 3: learn the source, forward or flood. */
    private void switchFrame(final long d, final int inPort, final int ns, final long src, final long dst, final int nowMs) {
        if (ns != runNamespace) {
            startRun(ns);
        }
        runRxPackets++;
        runRxBytes += Descriptor.length(d);

        if (macs.learn(ns, src, inPort, nowMs) == MacTable.LIMIT_REACHED) {
            counters.namespace[ns * WorkerCounters.STRIDE + WorkerCounters.MAC_LIMIT_HITS]++;
        }
        if (!MacAddress.isMulticast(dst)) {
            final int out = macs.lookupAsOwner(ns, dst);
            if (out >= 0) {
                forward(d, inPort, out, ns);
                return;
            }
        }
        flood(d, inPort, ns);
    }

    private void forward(final long d, final int inPort, final int out, final int ns) {
        if (out == inPort) {
            drop(d, DropReason.SAME_PORT.ordinal(), inPort, ns);
            return;
        }
        if (!state.portUsable[out]) {
            drop(d, DropReason.PORT_DOWN.ordinal(), inPort, ns);
            return;
        }
        final int vlan = state.egressVlan(out, ns);
        if (vlan < 0) {
            drop(d, DropReason.VLAN_NOT_ON_PORT.ordinal(), inPort, ns);
            return;
        }
        send(d, out, vlan, inPort, ns);
    }

    private void send(final long d, final int out, final int vlan, final int inPort, final int ns) {
        long frame = d;
        if (vlan != ForwardingState.UNTAGGED) {
            frame = pushTag(d, vlan);
            if (frame < 0) {
                drop(d, DropReason.NO_HEADROOM.ordinal(), inPort, ns);
                return;
            }
        }
        runTxPackets++; // send() is only reached for the frame being switched, of namespace runNamespace
        runTxBytes += Descriptor.length(frame);
        tx.enqueue(out, frame);
    }

    /**
     * Sends the frame to every up port of the namespace but the one it came in on. Every copy
     * but the last is a new buffer; the last egress takes the original.
     */
    private void flood(final long d, final int inPort, final int ns) {
        counters.namespace[ns * WorkerCounters.STRIDE + WorkerCounters.FLOODS]++;
        final int[] ports = state.floodPorts[ns];
        final int[] vlans = state.floodVlans[ns];
        int last = -1;
        for (int m = 0; m < ports.length; m++) {
            final int out = ports[m];
            if (out == inPort || !state.portUsable[out]) {
                continue;
            }
            if (last >= 0) {
                final long copy = copyOf(d);
                if (copy < 0) {
                    counters.drops[DropReason.NO_BUFFER.ordinal()]++;
                    counters.namespace[ns * WorkerCounters.STRIDE + WorkerCounters.DROPS]++;
                } else {
                    send(copy, ports[last], vlans[last], inPort, ns);
                }
            }
            last = m;
        }
        if (last < 0) {
            drop(d, DropReason.NO_EGRESS.ordinal(), inPort, ns);
        } else {
            send(d, ports[last], vlans[last], inPort, ns);
        }
    }

    private long copyOf(final long d) {
        final int index = cache.allocate();
        if (index < 0) {
            return -1L;
        }
        final int length = Descriptor.length(d);
        final long copy = Descriptor.of(index, pool.headroom(), length);
        view.putBytes(pool.offsetOf(copy), view, pool.offsetOf(d), length);
        return copy;
    }

    /** Removes the outer VLAN tag in place by moving the two MAC addresses 4 bytes forward. */
    private long popOuterTag(final long d) {
        final int at = pool.offsetOf(d);
        final long macs8 = view.getLong(at);
        final int macs4 = view.getInt(at + 8);
        view.putLong(at + VLAN_TAG_LENGTH, macs8);
        view.putInt(at + 8 + VLAN_TAG_LENGTH, macs4);
        return Descriptor.withOffsetAndLength(
            d, Descriptor.offset(d) + VLAN_TAG_LENGTH, Descriptor.length(d) - VLAN_TAG_LENGTH);
    }

    /** Inserts an 802.1Q tag in the headroom in front of the frame; -1 if there is no room. */
    private long pushTag(final long d, final int vlanId) {
        final int offset = Descriptor.offset(d);
        if (offset < VLAN_TAG_LENGTH) {
            return -1L;
        }
        final int at = pool.offsetOf(d);
        final long macs8 = view.getLong(at);
        final int macs4 = view.getInt(at + 8);
        view.putLong(at - VLAN_TAG_LENGTH, macs8);
        view.putInt(at - VLAN_TAG_LENGTH + 8, macs4);
        view.putShort(at + 8, (short) TPID_8021Q, ByteOrder.BIG_ENDIAN);
        view.putShort(at + 10, (short) vlanId, ByteOrder.BIG_ENDIAN);
        return Descriptor.withOffsetAndLength(d, offset - VLAN_TAG_LENGTH, Descriptor.length(d) + VLAN_TAG_LENGTH);
    }

    private void drop(final long d, final int reason, final int inPort, final int ns) {
        counters.drops[reason]++;
        counters.port[inPort * WorkerCounters.STRIDE + WorkerCounters.DROPS]++;
        if (ns != ForwardingState.NO_NAMESPACE) {
            counters.namespace[ns * WorkerCounters.STRIDE + WorkerCounters.DROPS]++;
        }
        cache.free(d);
    }
}
