package dev.nsdp.dataplane.forwarder;

import dev.nsdp.dataplane.port.PacketSocketPort;
import dev.nsdp.dataplane.port.Port;
import dev.nsdp.dataplane.port.PortCounters;
import dev.nsdp.dataplane.port.TapPort;

/**
 * A configured port as the supervisor keeps it across the life of its kernel link: the port open
 * now (none while the link is gone), the link state it last saw, how often the link went down and
 * the port was reopened, and the counters of earlier incarnations (a reattached port starts its
 * worker counters from zero; the forwarder reports the sum). Control thread only.
 */
final class SupervisedPort {
    /** What the supervisor last saw of the port's kernel link. */
    enum LinkState {
        /** Attached, link up and running. */
        UP,
        /** Attached, link administratively down or without carrier: the worker skips it. */
        DOWN,
        /** Detached: the link (or its kernel namespace) is gone; the port is reopened when it returns. */
        GONE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    final ConfigStatement.Port spec;
    /** True if the forwarder created the TAP (so it re-creates it when it disappears); false for links it only opens. */
    final boolean ownsLink;
    Port port;
    /** DOWN until the supervisor's first look, which sets the real state without counting a transition. */
    LinkState state = LinkState.DOWN;
    boolean observed;
    long downEvents;
    long reopens;
    String lastError;
    long nextAttemptNanos;

    // Earlier incarnations' totals.
    long carriedRxPackets;
    long carriedRxBytes;
    long carriedTxPackets;
    long carriedTxBytes;
    long carriedDrops;
    long carriedPortDrops;
    final long[] carriedPortDropsByReason = new long[dev.nsdp.dataplane.counter.DropReason.count()];

    SupervisedPort(final ConfigStatement.Port spec, final Port port) {
        this.spec = spec;
        this.port = port;
        this.ownsLink = port instanceof TapPort tap && tap.created();
    }

    String label() {
        return spec.namespace() + "/" + spec.name();
    }

    /** The kernel ifindex the open port is bound to, or -1. Final fields of the port: safe from any thread. */
    static int ifindexOf(final Port port) {
        return switch (port) {
            case PacketSocketPort p -> p.ifindex();
            case TapPort t -> t.ifindex();
            case null, default -> -1;
        };
    }

    /** The port's own counters (kernel-side drops, checksums ...), or null. Readable from any thread. */
    static PortCounters countersOf(final Port port) {
        return switch (port) {
            case PacketSocketPort p -> p.counters();
            case TapPort t -> t.counters();
            case null, default -> null;
        };
    }
}
