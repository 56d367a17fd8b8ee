package dev.nsdp.control.model;

import dev.nsdp.dataplane.port.Port;

/**
 * Opens the live port a {@link PortSpec} describes, for the process that owns the dataplane (the
 * forwarder supplies one that knows AF_PACKET and TAP; tests use memory ports). Called on the
 * control thread only.
 */
public interface PortFactory {
    /**
     * Opens the port. Throws {@link ControlException} of kind PORT_UNAVAILABLE, saying why, when the
     * link does not exist or cannot be opened; nothing is then changed.
     */
    Port open(PortSpec spec);

    /**
     * The port was detached from the dataplane (or never attached after a refusal): close it once
     * the worker has let go of it (for a dataplane: after its sync).
     */
    void release(Port port);

    /**
     * True if {@code port}, opened from {@code spec}, no longer reaches its link: the link was deleted
     * (and perhaps made again, with a new ifindex) or its namespace is gone. A supervisor then opens
     * the spec again. Control thread only; by default ports never go stale.
     */
    default boolean isStale(final Port port, final PortSpec spec) {
        return false;
    }
}
